"""Catalog test data built through the real services (imported by test_catalog_*.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone


def grid_layout(
    *,
    sections: int = 2,
    rows: int = 3,
    seats: int = 4,
    categories: tuple[str, ...] = ("standard", "premium"),
    area_capacity: int | None = 100,
) -> dict[str, Any]:
    """A rectangular layout in the import format; section k sells categories[k % n]."""
    layout: dict[str, Any] = {
        "sections": [
            {
                "name": f"S{s + 1}",
                "rows": [
                    {
                        "label": f"R{r + 1}",
                        "seats": [
                            {
                                "label": str(n + 1),
                                "x": float(n * 10),
                                "y": float(s * 1000 + r * 12),
                                "category": categories[s % len(categories)],
                            }
                            for n in range(seats)
                        ],
                    }
                    for r in range(rows)
                ],
            }
            for s in range(sections)
        ],
        "areas": [],
    }
    if area_capacity:
        layout["areas"].append(
            {
                "name": "Floor",
                "capacity": area_capacity,
                "x": 0,
                "y": -200,
                "width": 300,
                "height": 100,
            }
        )
    return layout


def drawn_layout(**grid_kw) -> dict[str, Any]:
    """A `grid_layout` with what the editor draws (docs/seat-map.md, "File format"):
    category colours, a section outline, aisle seats, an area polygon, decorations."""
    layout = {"format": "enturf-seatmap/1", **grid_layout(**grid_kw)}
    layout["categories"] = [
        {"name": "premium", "colour": "#B03A2E"},
        {"name": "standard", "colour": "#2E86C1"},
    ]
    layout["sections"][0]["outline"] = [[-5.0, -5.0], [40.0, -5.0], [40.0, 40.0], [-5.0, 40.0]]
    for row in layout["sections"][0]["rows"]:
        row["seats"][0]["aisle"] = True
        row["seats"][-1]["aisle"] = True
    if layout["areas"]:
        layout["areas"][0]["polygon"] = [[0.0, -200.0], [300.0, -200.0], [150.0, -100.0]]
    layout["decorations"] = [
        {
            "kind": "stage",
            "points": [[0.0, -300.0], [300.0, -300.0], [300.0, -250.0]],
            "text": "Stage",
            "rotation": 0.0,
        },
        {"kind": "label", "points": [[120.0, 40.0]], "text": "Exit", "rotation": 90.0},
    ]
    return layout


def make_venue(name: str = "Hall", **kw):
    from enturf_server.catalog import services

    return services.create_venue(actor=None, name=name, **kw)


def make_seat_map(venue=None, name: str = "Main", **layout_kw):
    from enturf_server.catalog import services
    from enturf_server.catalog.seatmap_layout import parse_layout

    return services.import_seat_map(
        actor=None,
        venue=venue or make_venue(),
        name=name,
        layout=parse_layout(grid_layout(**layout_kw)),
        stage_x=20,
        stage_y=-300,
    )


def make_event(seat_map=None, *, name: str = "Show", state: str = "on_sale", days: float = 7, **kw):
    from enturf_server.catalog import services

    starts_at = kw.pop("starts_at", timezone.now() + timedelta(days=days))
    return services.create_event(
        actor=None,
        seat_map=seat_map or make_seat_map(),
        name=name,
        starts_at=starts_at,
        state=state,
        **kw,
    )


def make_ticket(
    event, *, name: str = "Adult", price: str = "25.00", category: str = "standard", **kw
):
    from enturf_server.catalog import services

    return services.create_ticket(
        actor=None,
        event=event,
        name=name,
        price=Decimal(price),
        tax_rate=Decimal(kw.pop("tax_rate", "7")),
        category=category if "area" not in kw else "",
        **kw,
    )


def make_booking(event):
    """A bare Booking row for an event (what the sales side would create)."""
    from enturf_server.sales.models import Booking

    return Booking.objects.create(event=event, code=f"T{Booking.objects.count() + 1:05d}")


def user_client(role: str, client_for, username: str | None = None):
    """An API client for a new user of `role`, without password hashing (fast)."""
    from enturf_server.accounts.models import User
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role

    user = User.objects.create(username=username or f"{role}-user")
    set_role(user, Role(role))
    return client_for(user)
