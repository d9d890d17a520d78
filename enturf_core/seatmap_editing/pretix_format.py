"""pretix's seating plan format, to and from Enturf's seat-map file (docs/seat-map.md).

pretix describes its format by a JSON schema, ``src/pretix/static/seating/seating-plan.schema.json``
in pretix's repository: a plan has `name`, `categories` (`name`, `color`), `size`
(`width`, `height`) and `zones`; a zone has a `position`, `rows` and `areas` (shapes);
a row has `row_number`, a `position` and `seats`; a seat has `seat_guid`, `seat_number`,
a `position` and a `category`. A seat's place on the map is its zone's position plus its
row's position plus its own, as pretix itself computes it.

* :func:`from_pretix` -> (an Enturf file, warnings): zones become sections (zones of one
  name, and rows of one `row_number` in a zone, are merged), a seat's `seat_guid` its
  key, `seat_number` its label; shapes become decorations (a shape whose text says
  "stage" becomes the stage, and its centre the stage point).
* :func:`to_pretix` -> a plan: sections become zones at the origin with the seats'
  absolute positions; outlines, standing areas and decorations become shapes; what
  pretix cannot hold (seat flags, capacities, ranks) is reported in `warnings`.

Anything not shaped like a pretix plan is refused with every problem listed by its
JSON path in the plan (:class:`SeatMapFileError` with `problems`), never a traceback.
"""

from __future__ import annotations

import math
import re
from typing import Any

from enturf_core import palette
from enturf_core.seatmap_editing import file_format as ff
from enturf_core.seatmap_editing.file_format import FileProblem, SeatMapFileError
from enturf_core.wording import noun, plural

__all__ = ["DECORATION_ZONE", "from_pretix", "to_pretix"]

DECORATION_ZONE = "Venue"  # the zone of an export that holds decorations and areas, no seats
SHAPES = ("polygon", "rectangle", "ellipse", "circle", "text")
STAGE_WORDS = re.compile(r"\b(stage|b(ü|ue)hne|sc[eè]ne|escenario|palco|podium)\b", re.I)
SHORT_COLOUR = re.compile(r"#([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])")
DEFAULT_PLAN_NAME = "Seating plan"
MAX_PROBLEMS = ff.MAX_PROBLEMS

# what pretix has and Enturf does not keep, by field -> how a warning names it
_NOT_KEPT = {
    "row_label": "row labels (row_label)",
    "seat_label": "seat labels (seat_label)",
    "radius": "seat sizes (radius)",
    "start_direction": "booking start directions (start_direction)",
    "row_number_position": "where row numbers are shown (row_number_position)",
    "seats_spacing": "row seat spacing (seats_spacing)",
    "color": "shape colours (color, border_color)",
    "border_color": "shape colours (color, border_color)",
}


# ---- pretix -> Enturf -------------------------------------------------------------------


def from_pretix(plan: Any) -> tuple[dict[str, Any], list[str]]:
    """A pretix seating plan as an Enturf seat-map file, and what was not kept.

    Raises :class:`SeatMapFileError` listing the problems (`problems`, paths in the
    plan) when the plan is not shaped like pretix's or would not make a valid file."""
    reader = _Reader()
    try:
        data, origins = reader.plan(plan)
    except _Enough:
        data, origins = None, None
    if reader.problems:
        raise _refusal(reader.problems)
    assert data is not None and origins is not None
    found = ff.problems(data)
    if found:
        raise _refusal([FileProblem(origins.translate(p.path), p.message) for p in found])
    return data, reader.warnings()


def _refusal(found: list[FileProblem]) -> SeatMapFileError:
    first = found[0]
    more = f" (and {plural(len(found) - 1, 'more problem')})" if len(found) > 1 else ""
    return SeatMapFileError(
        f"This is not a pretix seating plan Enturf can read: {first.message}{more}",
        path=first.path,
        problems=tuple(found),
    )


class _Enough(Exception):
    pass


class _Origins:
    """Where each part of the Enturf file came from in the plan, to name a problem the
    Enturf check finds by the plan's path."""

    SEAT_FIELDS = {
        "label": "seat_number",
        "key": "seat_guid",
        "x": "position.x",
        "y": "position.y",
        "category": "category",
    }
    ROW_FIELDS = {"label": "row_number", "seats": "seats"}
    PATH = re.compile(r"sections\[(\d+)\](?:\.rows\[(\d+)\](?:\.seats\[(\d+)\])?)?(?:\.(\w+))?(.*)")
    LISTED = re.compile(r"(categories|decorations)\[(\d+)\](?:\.(\w+))?(.*)")

    def __init__(self) -> None:
        self.sections: list[str] = []  # "zones[2]"
        self.rows: list[list[str]] = []  # "zones[2].rows[0]"
        self.seats: list[list[list[str]]] = []  # "zones[2].rows[0].seats[5]"
        self.categories: list[str] = []
        self.decorations: list[str] = []

    def translate(self, path: str) -> str:
        match = self.PATH.fullmatch(path)
        if match:
            si, ri, ei, name, rest = match.groups()
            if ei is not None:
                where = self.seats[int(si)][int(ri)][int(ei)]
                return _join(where, self.SEAT_FIELDS.get(name, name), rest)
            if ri is not None:
                return _join(self.rows[int(si)][int(ri)], self.ROW_FIELDS.get(name, name), rest)
            return _join(self.sections[int(si)], name, rest)
        match = self.LISTED.fullmatch(path)
        if match:
            kind, index, name, rest = match.groups()
            if kind == "decorations":
                return self.decorations[int(index)]  # the shape
            return _join(self.categories[int(index)], "color" if name == "colour" else name, rest)
        return {"sections": "zones", "width": "size.width", "height": "size.height"}.get(path, path)


def _join(where: str, name: str | None, rest: str) -> str:
    return f"{where}.{name}{rest}" if name else where


class _Reader:
    """Reads a plan, noting problems (up to a cap) and what is not kept."""

    def __init__(self) -> None:
        self.problems: list[FileProblem] = []
        self.dropped: dict[str, int] = {}
        self.notes: list[str] = []

    # -- problems --

    def fail(self, where: str, path: str, problem: str) -> None:
        self.problems.append(FileProblem(path, f"{where}: {problem}"))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Enough

    def obj(self, value: Any, where: str, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(where, path, f"must be an object, not {_kind(value)}")
        return None

    def items(self, value: Any, where: str, path: str, *, required: bool = True) -> list:
        if value is None and not required:
            return []
        if isinstance(value, list):
            return value
        self.fail(
            where,
            path,
            "is missing (a list is needed)"
            if value is None
            else f"must be a list, not {_kind(value)}",
        )
        return []

    def text(self, value: Any, where: str, path: str, *, required: bool = True) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # numbers written as numbers
        if isinstance(value, str):
            return value
        if value is None and not required:
            return None
        self.fail(
            where,
            path,
            "is missing (text is needed)" if value is None else f"must be text, not {_kind(value)}",
        )
        return None

    def number(self, value: Any, where: str, path: str) -> float | None:
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        self.fail(
            where,
            path,
            "is missing (a number is needed)"
            if value is None
            else f"must be a number, not {_kind(value)}",
        )
        return None

    def position(
        self, value: Any, where: str, path: str, *, required: bool = True
    ) -> tuple[float, float] | None:
        if value is None and not required:
            return (0.0, 0.0)
        point = self.obj(value, where, path) if value is not None else None
        if point is None:
            if value is None:
                self.fail(where, path, "is missing (a position {x, y} is needed)")
            return None
        x = self.number(point.get("x"), where, f"{path}.x")
        y = self.number(point.get("y"), where, f"{path}.y")
        return None if x is None or y is None else (x, y)

    def drop(self, obj: dict[str, Any], fields: tuple[str, ...]) -> None:
        for name in fields:
            if obj.get(name) not in (None, "", []):
                label = _NOT_KEPT[name]
                self.dropped[label] = self.dropped.get(label, 0) + 1

    def warnings(self) -> list[str]:
        found = [
            f"Not kept from pretix: {label}, on {plural(n, 'item')}."
            for label, n in self.dropped.items()
        ]
        return self.notes + found

    # -- the plan --

    def plan(self, plan: Any) -> tuple[dict[str, Any], _Origins]:
        origins = _Origins()
        plan = self.obj(plan, "pretix plan", "")
        if plan is None:
            raise _Enough
        name = self.text(plan.get("name"), "pretix plan", "name") or ""
        categories = self.categories(
            self.items(plan.get("categories"), "pretix plan", "categories"), origins
        )
        if "zones" not in plan and "sections" in plan:
            self.fail("pretix plan", "zones", "is missing: this looks like an Enturf seat-map file")
        zones = self.items(plan.get("zones"), "pretix plan", "zones")
        size = plan.get("size")
        width = height = None
        if size is not None and (size := self.obj(size, "pretix plan", "size")) is not None:
            width = self.number(size.get("width"), "pretix plan", "size.width")
            height = self.number(size.get("height"), "pretix plan", "size.height")
        unknown = sorted(str(k) for k in plan if k not in ("name", "categories", "zones", "size"))
        if unknown:
            self.notes.append(f"Not kept from pretix: the plan's fields {', '.join(unknown)}.")

        sections: dict[str, dict[str, Any]] = {}
        section_rows: dict[str, dict[str, dict[str, Any]]] = {}
        decorations: list[dict[str, Any]] = []
        names = {z["name"] for z in zones if isinstance(z, dict) and isinstance(z.get("name"), str)}
        for zi, zone in enumerate(zones):
            zpath = f"zones[{zi}]"
            where = f"zone #{zi + 1}"
            zone = self.obj(zone, where, zpath)
            if zone is None:
                continue
            zone_name = self.text(zone.get("name"), where, f"{zpath}.name", required=False)
            zpos = self.position(zone.get("position"), where, f"{zpath}.position")
            rows = self.items(zone.get("rows"), where, f"{zpath}.rows")
            areas = self.items(zone.get("areas"), where, f"{zpath}.areas", required=False)
            if zone_name:
                where = f"zone {zone_name!r}"
            for ai, area in enumerate(areas):
                decoration = self.area(
                    area, f"{where}, shape #{ai + 1}", f"{zpath}.areas[{ai}]", zpos
                )
                if decoration is not None:
                    decorations.append(decoration)
                    origins.decorations.append(f"{zpath}.areas[{ai}]")
            if not any(isinstance(r, dict) and r.get("seats") for r in rows):
                for ri, row in enumerate(rows):
                    if not isinstance(row, dict) or not isinstance(row.get("seats", []), list):
                        self.row(row, where, f"{zpath}.rows[{ri}]", ri, zpos)  # say what is wrong
                continue
            if not zone_name:
                zone_name = next(
                    f"Zone {n}" for n in range(1, len(zones) + 2) if f"Zone {n}" not in names
                )
                names.add(zone_name)
                self.notes.append(f"Zone #{zi + 1} has no name; it was named {zone_name!r}.")
            if zone_name not in sections:
                sections[zone_name] = {"name": zone_name, "rows": []}
                section_rows[zone_name] = {}
                origins.sections.append(zpath)
                origins.rows.append([])
                origins.seats.append([])
            si = list(sections).index(zone_name)
            for ri, row in enumerate(rows):
                rpath = f"{zpath}.rows[{ri}]"
                read = self.row(row, where, rpath, ri, zpos)
                if read is None:
                    continue
                label, seats, seat_paths = read
                if not seats:
                    continue
                known = section_rows[zone_name]
                if label in known:
                    known[label]["seats"].extend(seats)
                    origins.seats[si][list(known).index(label)].extend(seat_paths)
                else:
                    known[label] = {"label": label, "seats": seats}
                    sections[zone_name]["rows"].append(known[label])
                    origins.rows[si].append(rpath)
                    origins.seats[si].append(seat_paths)

        data: dict[str, Any] = {
            "format": ff.FORMAT,
            "name": name.strip()[: ff.SEAT_MAP_NAME_MAX] or DEFAULT_PLAN_NAME,
        }
        stage = next((d for d in decorations if d["kind"] == "stage"), None)
        if stage is not None:
            (x0, y0), (x1, y1) = _box(stage["points"])
            data["stage_x"], data["stage_y"] = (x0 + x1) / 2, (y0 + y1) / 2
        else:
            xs = [seat["x"] for s in sections.values() for r in s["rows"] for seat in r["seats"]]
            middle = width / 2 if width is not None else (min(xs) + max(xs)) / 2 if xs else 0.0
            data["stage_x"], data["stage_y"] = middle, 0.0
            self.notes.append(
                "pretix plans have no stage: the stage point (where best seats are measured "
                "from) was put at the top centre; move it in the editor."
            )
        if width is not None:
            data["width"] = width
        if height is not None:
            data["height"] = height
        data["categories"] = categories
        data["sections"] = list(sections.values())
        data["areas"] = []
        data["decorations"] = decorations
        return data, origins

    def categories(self, items: list, origins: _Origins) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        seen: set[str] = set()
        for ci, item in enumerate(items):
            path = f"categories[{ci}]"
            item = self.obj(item, f"category #{ci + 1}", path)
            if item is None:
                continue
            name = self.text(item.get("name"), f"category #{ci + 1}", f"{path}.name")
            if name is None:
                continue
            if name in seen:
                self.notes.append(f"Category {name!r} is listed twice; the first is kept.")
                continue
            seen.add(name)
            colour = _colour(item.get("color"))
            if colour is None:
                colour = palette.CATEGORY_COLOURS[len(out) % len(palette.CATEGORY_COLOURS)]
                if item.get("color") not in (None, ""):
                    self.notes.append(
                        f"Category {name!r}: the colour {item['color']!r:.40} is not #RRGGBB; "
                        "a palette colour is used."
                    )
            out.append({"name": name, "colour": colour})
            origins.categories.append(path)
        return out

    def row(
        self, row: Any, where: str, path: str, index: int, zpos: tuple[float, float] | None
    ) -> tuple[str, list, list[str]] | None:
        row = self.obj(row, f"{where}, row #{index + 1}", path)
        if row is None:
            return None
        label = self.text(row.get("row_number"), f"{where}, row #{index + 1}", f"{path}.row_number")
        rwhere = f"{where}, row {label!r}" if label is not None else f"{where}, row"
        rpos = self.position(row.get("position"), rwhere, f"{path}.position", required=False)
        seats_in = self.items(row.get("seats"), rwhere, f"{path}.seats")
        self.drop(row, ("row_label", "seat_label", "row_number_position", "seats_spacing"))
        seats, paths = [], []
        for ei, seat in enumerate(seats_in):
            spath = f"{path}.seats[{ei}]"
            swhere = f"{rwhere}, seat #{ei + 1}"
            seat = self.obj(seat, swhere, spath)
            if seat is None:
                continue
            guid = self.text(seat.get("seat_guid"), swhere, f"{spath}.seat_guid")
            number = self.text(seat.get("seat_number"), swhere, f"{spath}.seat_number")
            category = self.text(seat.get("category"), swhere, f"{spath}.category")
            spos = self.position(seat.get("position"), swhere, f"{spath}.position")
            self.drop(seat, ("radius", "start_direction"))
            if None in (guid, number, category, spos, zpos, rpos, label):
                continue
            assert spos is not None and zpos is not None and rpos is not None
            # summed as pretix sums them: zone, then row, then seat
            x = zpos[0] + rpos[0] + spos[0]
            y = zpos[1] + rpos[1] + spos[1]
            seats.append({"key": guid, "label": number, "x": x, "y": y, "category": category})
            paths.append(spath)
        if label is None:
            return None
        return label, seats, paths

    def area(
        self, area: Any, where: str, path: str, zpos: tuple[float, float] | None
    ) -> dict[str, Any] | None:
        awhere = where
        area = self.obj(area, awhere, path)
        if area is None:
            return None
        shape = area.get("shape")
        if shape is None:  # older plans: the shape is the field that is there
            shape = next((s for s in SHAPES if isinstance(area.get(s), dict)), "rectangle")
        if shape not in SHAPES:
            self.fail(
                awhere, f"{path}.shape", f"must be one of {', '.join(SHAPES)}, not {shape!r:.40}"
            )
            return None
        pos = self.position(area.get("position"), awhere, f"{path}.position", required=False)
        rotation = 0.0
        if area.get("rotation") is not None:
            rotation = self.number(area.get("rotation"), awhere, f"{path}.rotation") or 0.0
        self.drop(area, ("color", "border_color"))
        text_in = area.get("text")
        text, text_pos = "", (0.0, 0.0)
        if isinstance(text_in, str):  # older plans
            text = text_in
        elif text_in is not None:
            text_obj = self.obj(text_in, awhere, f"{path}.text")
            if text_obj is not None:
                text = self.text(text_obj.get("text"), awhere, f"{path}.text.text") or ""
                text_pos = self.position(
                    text_obj.get("position"), awhere, f"{path}.text.position", required=False
                ) or (0.0, 0.0)
        if pos is None or zpos is None:
            return None
        origin = (zpos[0] + pos[0], zpos[1] + pos[1])
        text = text.strip()[: ff.DECORATION_TEXT_MAX]
        if shape == "text":
            point = _rotated(text_pos, rotation, origin)
            if not text:
                return None
            return {"kind": "label", "points": [point], "text": text, "rotation": rotation}
        if shape == "rectangle":
            box = area.get("rectangle") if isinstance(area.get("rectangle"), dict) else area
            w = self.number(box.get("width"), awhere, f"{path}.rectangle.width")
            h = self.number(box.get("height"), awhere, f"{path}.rectangle.height")
            if w is None or h is None:
                return None
            centre = tuple(_rotated((w / 2, h / 2), rotation, origin))  # turned about its corner
            kind = "stage" if STAGE_WORDS.search(text) else "rect"
            corners = [
                [centre[0] - w / 2, centre[1] - h / 2],
                [centre[0] + w / 2, centre[1] + h / 2],
            ]
            if kind == "stage":  # a stage is a polygon: the corners, turned
                half = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
                corners = [_rotated(p, rotation, centre) for p in half]
                rotation = 0.0
            return {"kind": kind, "points": corners, "text": text, "rotation": rotation}
        if shape in ("circle", "ellipse"):
            spec = self.obj(area.get(shape), awhere, f"{path}.{shape}")
            if spec is None:
                return None
            if shape == "circle":
                r = self.number(spec.get("radius"), awhere, f"{path}.circle.radius")
                radii = None if r is None else (r, r)
            else:
                radii = self.position(spec.get("radius"), awhere, f"{path}.ellipse.radius")
            if radii is None:
                return None
            rx, ry = abs(radii[0]), abs(radii[1])
            points = [[origin[0] - rx, origin[1] - ry], [origin[0] + rx, origin[1] + ry]]
            return {"kind": "ellipse", "points": points, "text": text, "rotation": rotation}
        spec = self.obj(area.get("polygon"), awhere, f"{path}.polygon")
        if spec is None:
            return None
        points = []
        for pi, point in enumerate(
            self.items(spec.get("points"), awhere, f"{path}.polygon.points")
        ):
            read = self.position(point, awhere, f"{path}.polygon.points[{pi}]")
            if read is not None:
                points.append(_rotated(read, rotation, origin))
        if len(points) == 2:  # how a line goes to pretix
            return {"kind": "line", "points": points, "text": text, "rotation": 0.0}
        if len(points) < ff.MIN_POLYGON_POINTS:
            self.notes.append(f"{awhere}: a polygon of {len(points)} point was left out.")
            return None
        kind = "stage" if STAGE_WORDS.search(text) else "polygon"
        return {"kind": kind, "points": points, "text": text, "rotation": 0.0}


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _colour(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    if ff.COLOUR.fullmatch(value):
        return value
    short = SHORT_COLOUR.fullmatch(value)
    if short:
        return "#" + "".join(c * 2 for c in short.groups())
    return None


def _rotated(
    point: tuple[float, float], degrees: float, origin: tuple[float, float]
) -> list[float]:
    """`point` (relative to `origin`) turned `degrees` clockwise (y down) about `origin`."""
    if not degrees:
        return [origin[0] + point[0], origin[1] + point[1]]
    a = math.radians(degrees)
    cos, sin = math.cos(a), math.sin(a)
    dx, dy = point
    return [origin[0] + dx * cos - dy * sin, origin[1] + dx * sin + dy * cos]


def _box(points: list[list[float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys)), (max(xs), max(ys))


# ---- Enturf -> pretix -------------------------------------------------------------------


def to_pretix(file: dict[str, Any], *, warnings: list[str] | None = None) -> dict[str, Any]:
    """An Enturf seat-map file as a pretix seating plan. What pretix cannot hold is
    appended to `warnings` (when given). Raises :class:`SeatMapFileError` for a file
    that is not valid (:func:`file_format.parse_file`)."""
    layout = ff.parse_file(file)
    said = warnings if warnings is not None else []
    drawing = layout.drawing
    categories = [{"name": c["name"], "color": c["colour"]} for c in drawing["categories"]]
    listed = {c["name"] for c in categories}
    flags = {"accessible": 0, "companion": 0, "obstructed": 0, "aisle": 0}
    zones = []
    for section in layout.sections:
        rows = []
        for row in section.rows:
            seats = []
            for seat in row.seats:
                if seat.category not in listed:  # pretix wants every category listed
                    listed.add(seat.category)
                    colour = palette.CATEGORY_COLOURS[
                        len(categories) % len(palette.CATEGORY_COLOURS)
                    ]
                    categories.append({"name": seat.category, "color": colour})
                for flag in flags:
                    flags[flag] += getattr(seat, flag)
                seats.append(
                    {
                        "seat_guid": seat.key,
                        "seat_number": seat.label,
                        "position": {"x": seat.x, "y": seat.y},
                        "category": seat.category,
                    }
                )
            rows.append({"row_number": row.label, "position": {"x": 0, "y": 0}, "seats": seats})
        zone: dict[str, Any] = {
            "name": section.name,
            "position": {"x": 0, "y": 0},
            "rows": rows,
            "areas": [],
        }
        outline = drawing["outlines"].get(section.name)
        if outline is not None:
            zone["areas"].append(_polygon_shape(outline, ""))
        zones.append(zone)
    for flag, n in flags.items():
        if n:
            said.append(
                f"pretix has no seat flags: '{flag}' on {plural(n, 'seat')} is not exported."
            )
    ranked = sum(s.rank is not None for s in layout.sections)
    if ranked:
        said.append(
            f"pretix has no section ranks: the ranks of {plural(ranked, 'section')} are not exported."
        )
    if drawing["outlines"]:
        said.append(
            "Section outlines are exported as shapes; imported again they come back as decorations."
        )

    venue: list[dict[str, Any]] = []
    for area in layout.areas:
        text = f"{area.name} ({area.capacity:,} standing)"
        polygon = drawing["area_polygons"].get(area.name)
        if polygon is not None:
            venue.append(_polygon_shape(polygon, text))
        else:
            venue.append(_rect_shape(area.x, area.y, area.width, area.height, 0.0, text))
        said.append(
            f"pretix has no standing areas: {area.name!r} ({area.capacity:,} "
            f"{noun(area.capacity, 'place')}) "
            "is exported as a shape without its capacity."
        )
    lines = 0
    for decoration in drawing["decorations"]:
        shape = _decoration_shape(decoration)
        lines += decoration["kind"] == "line"
        venue.append(shape)
    if lines:
        said.append(
            f"pretix has no lines: {plural(lines, 'line')} exported as polygons "
            "(a line of two points comes back as a line, a longer one closed)."
        )
    if venue:
        zones.append(
            {"name": DECORATION_ZONE, "position": {"x": 0, "y": 0}, "rows": [], "areas": venue}
        )
    if not any(d["kind"] == "stage" for d in drawing["decorations"]):
        said.append(
            "pretix has no stage point and this map draws no stage: "
            "imported again, the stage point is put at the top centre."
        )

    fit_w, fit_h = layout.bounds()
    width = file.get("width") or fit_w
    height = file.get("height") or fit_h
    return {
        "name": str(file.get("name") or DEFAULT_PLAN_NAME).strip(),
        "categories": categories,
        "zones": zones,
        "size": {"width": math.ceil(width), "height": math.ceil(height)},
    }


def _position(x: float, y: float) -> dict[str, float]:
    return {"x": x, "y": y}


def _with_text(shape: dict[str, Any], text: str, at: tuple[float, float]) -> dict[str, Any]:
    if text:
        shape["text"] = {"text": text, "position": _position(*at)}
    return shape


def _polygon_shape(points: list[list[float]], text: str, rotation: float = 0.0) -> dict[str, Any]:
    (x0, y0), (x1, y1) = _box(points)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    turned = [_rotated((p[0] - cx, p[1] - cy), rotation, (cx, cy)) for p in points]
    (x0, y0), (x1, y1) = _box(turned)
    shape = {
        "shape": "polygon",
        "position": _position(x0, y0),
        "polygon": {"points": [_position(p[0] - x0, p[1] - y0) for p in turned]},
    }
    return _with_text(shape, text, ((x1 - x0) / 2, (y1 - y0) / 2))


def _rect_shape(
    x: float, y: float, w: float, h: float, rotation: float, text: str
) -> dict[str, Any]:
    """A box at (x, y) of w x h turned about its centre, as pretix's rectangle (turned
    about its corner)."""
    centre = (x + w / 2, y + h / 2)
    corner = _rotated((-w / 2, -h / 2), rotation, centre)
    shape: dict[str, Any] = {
        "shape": "rectangle",
        "position": _position(*corner),
        "rectangle": {"width": round(w), "height": round(h)},
    }
    if rotation:
        shape["rotation"] = rotation
    return _with_text(shape, text, (w / 2, h / 2))


def _decoration_shape(decoration: dict[str, Any]) -> dict[str, Any]:
    kind, points, text, rotation = (
        decoration["kind"],
        decoration["points"],
        decoration["text"],
        decoration["rotation"],
    )
    if kind == "label":
        shape: dict[str, Any] = {
            "shape": "text",
            "position": _position(*points[0]),
            "text": {"text": text, "position": _position(0, 0)},
        }
        if rotation:
            shape["rotation"] = rotation
        return shape
    (x0, y0), (x1, y1) = _box(points)
    if kind == "rect":
        return _rect_shape(x0, y0, x1 - x0, y1 - y0, rotation, text)
    if kind == "ellipse":
        shape = {
            "shape": "ellipse",
            "position": _position((x0 + x1) / 2, (y0 + y1) / 2),
            "ellipse": {"radius": _position((x1 - x0) / 2, (y1 - y0) / 2)},
        }
        if rotation:
            shape["rotation"] = rotation
        return _with_text(shape, text, (0.0, 0.0))
    if kind == "stage" and not STAGE_WORDS.search(text):
        text = f"Stage {text}".strip() if text else "Stage"  # so that an import finds it
    return _polygon_shape(points, text, rotation)
