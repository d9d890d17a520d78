"""The sync API as the server tests use it: a registered device, the change feed read to
its end, and ops pushed (manager edits)."""

from __future__ import annotations

import uuid

from enturf_core.ticket_codes import SigningKey

CHANGES = "/api/v1/sync/changes/"
PUSH = "/api/v1/sync/push/"


def register_device(name: str = "Counter 1"):
    from enturf_server.accounts import device_services

    issued = device_services.create_device(actor=None, name=name)
    reg = device_services.register_device(
        setup_code=issued.setup_code,
        name=name,
        signing_public_key=SigningKey.generate().public_key_base64(),
    )
    return reg.device, reg.device_token


def read_all(client, after="0", limit=500) -> tuple[list[dict], str]:
    """Follow `next` until has_more is false; returns every change and the last cursor."""
    changes: list[dict] = []
    for _ in range(1000):
        r = client.get(CHANGES, {"after": after, "limit": limit})
        assert r.status_code == 200, r.content
        body = r.json()
        changes.extend(body["changes"])
        after = body["next"]
        if not body["has_more"]:
            return changes, after
    raise AssertionError("the feed never ended")


def push(client, *ops) -> list[dict]:
    r = client.post(PUSH, {"ops": list(ops)}, format="json")
    assert r.status_code == 200, r.content
    return r.json()["results"]


def edit(kind: str, obj, fields: dict, base: dict | None = None, base_version=None, op_id=None):
    return {
        "id": str(op_id or uuid.uuid4()),
        "type": f"{kind}_update",
        "payload": {"id": obj.pk, "fields": fields},
        "base_version": obj.version if base_version is None else base_version,
        "base": base if base is not None else {},
    }
