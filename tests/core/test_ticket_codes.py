"""Ticket codes: Ed25519 sign/verify round trip, tamper detection, key ids, retirement."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enturf_core.ticket_codes import (
    InvalidTicketCode,
    PublicKeyInfo,
    Reason,
    SigningKey,
    TicketPayload,
    claimed_line_id,
    keyring_of,
    sign,
    verify,
)

KEY = SigningKey.generate()
OTHER = SigningKey.generate()
KEYRING = keyring_of(KEY.public_info(), OTHER.public_info())
ISSUED = datetime(2025, 6, 1, 20, 15, 30, tzinfo=UTC)
B64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def payload(**changes: object) -> TicketPayload:
    fields: dict[str, object] = {
        "line_id": "6f1c2a9e-4b7d-4e0a-9c3f-2d8b5a1e7c40",
        "event_id": 42,
        "seat_id": "A-12",
        "issued_at": ISSUED,
    }
    fields.update(changes)
    return TicketPayload(**fields)  # type: ignore[arg-type]


def reason_of(code: str, keyring: dict[str, PublicKeyInfo] = KEYRING) -> Reason:
    with pytest.raises(InvalidTicketCode) as info:
        verify(code, keyring)
    return info.value.reason


def test_round_trip_and_format() -> None:
    code = sign(payload(), KEY)
    version, key_id, body, sig = code.split(".")
    assert version == "v1" and key_id == KEY.key_id and len(key_id) == 11
    assert "=" not in code and len(base64.urlsafe_b64decode(sig + "==")) == 64
    claims = verify(code, KEYRING)
    assert claims.line_id == "6f1c2a9e-4b7d-4e0a-9c3f-2d8b5a1e7c40"
    assert claims.event_id == 42 and claims.seat_id == "A-12" and claims.area_id is None
    assert claims.issued_at == ISSUED and claims.key_id == KEY.key_id
    raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert set(raw) == {"lu", "e", "s", "t", "n"}  # the UUID is packed to 16 bytes


def test_codes_are_short_enough_for_a_qr_code() -> None:
    assert len(sign(payload(line_id=123456, seat_id=9876), KEY)) <= 200
    assert len(sign(payload(), KEY)) <= 220  # UUID line id, short seat id
    every_uuid = payload(line_id=uuid.uuid4(), event_id=uuid.uuid4(), seat_id=uuid.uuid4())
    assert len(sign(every_uuid, KEY)) <= 280


def test_same_line_signed_twice_gives_different_codes() -> None:
    first, second = sign(payload(), KEY), sign(payload(), KEY)
    assert first != second
    assert verify(first, KEYRING).nonce != verify(second, KEYRING).nonce


def test_ids_and_times() -> None:
    line = uuid.uuid4()
    claims = verify(sign(payload(line_id=line, seat_id=None, area_id="GA-1"), KEY), KEYRING)
    assert claims.line_id == str(line) and claims.area_id == "GA-1" and claims.seat_id is None
    upper = str(line).upper()  # not canonical: kept verbatim, not packed
    assert verify(sign(payload(line_id=upper), KEY), KEYRING).line_id == upper
    cet = timezone(timedelta(hours=1))
    moment = datetime(2025, 1, 1, 12, 0, 0, 999_999, tzinfo=cet)
    claims = verify(sign(payload(issued_at=moment), KEY), KEYRING)
    assert claims.issued_at == moment.replace(microsecond=0)
    with pytest.raises(ValueError, match="timezone"):
        payload(issued_at=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="exactly one"):
        payload(area_id="GA-1")
    with pytest.raises(ValueError, match="exactly one"):
        payload(seat_id=None)
    with pytest.raises(TypeError):
        payload(event_id=4.2)


def test_key_export_import() -> None:
    again = SigningKey.from_base64(KEY.to_base64())
    assert again.key_id == KEY.key_id
    assert SigningKey.from_pem(KEY.to_pem()).key_id == KEY.key_id
    info = PublicKeyInfo.from_base64(KEY.public_key_base64())
    assert info.key_id == KEY.key_id and info.public_key_base64() == KEY.public_key_base64()
    assert verify(sign(payload(), again), keyring_of(info)).key_id == KEY.key_id
    assert KEY.to_base64() not in repr(KEY)
    with pytest.raises(ValueError):
        SigningKey.from_base64("not a key")
    with pytest.raises(ValueError):
        PublicKeyInfo.from_base64("AAAA")


def test_unknown_key_and_mismatched_keyring() -> None:
    code = sign(payload(), KEY)
    assert reason_of(code, keyring_of(OTHER.public_info())) is Reason.UNKNOWN_KEY
    # an entry filed under the wrong id is not trusted
    assert reason_of(code, {KEY.key_id: OTHER.public_info()}) is Reason.UNKNOWN_KEY


def test_signature_from_another_key_fails() -> None:
    forged = sign(payload(), OTHER)
    _, _, body, sig = forged.split(".")
    assert reason_of(f"v1.{KEY.key_id}.{body}.{sig}") is Reason.BAD_SIGNATURE


def test_malformed_and_versions() -> None:
    code = sign(payload(), KEY)
    _, kid, body, sig = code.split(".")
    assert reason_of(f"v2.{kid}.{body}.{sig}") is Reason.UNSUPPORTED_VERSION
    assert reason_of("v0.x") is Reason.UNSUPPORTED_VERSION
    for bad in (
        "",
        "hello",
        f"V1.{kid}.{body}.{sig}",
        f"v1.{kid}.{body}",
        f"v1.{kid}.{body}.{sig}.x",
        f"v1.{kid}.{body}.{sig}=",
        f"v1.{kid}.{body}.{sig[:-2]}",
        f"v1.{kid}..{sig}",
        f"v1.{kid[:-1]}.{body}.{sig}",
        f"v1.{kid}.{body}+.{sig}",
        "v1." + "A" * 2000,
        f"v1.{kid}.{body}.{sig[:-1]}é",
    ):
        assert reason_of(bad) is Reason.MALFORMED, bad
    with pytest.raises(InvalidTicketCode):
        verify(None, KEYRING)  # type: ignore[arg-type]


def test_signed_garbage_payload_is_malformed() -> None:
    kid = KEY.key_id
    for raw in (b"[]", b"{}", b'{"l":1,"e":2,"s":3,"t":1,"n":"AAAAAAAAAAA","x":1}', b"\xff"):
        body = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        signed = f"v1.{kid}.{body}"
        sig = base64.urlsafe_b64encode(KEY._sign(signed.encode())).rstrip(b"=").decode()
        assert reason_of(f"{signed}.{sig}") is Reason.MALFORMED


def test_retired_key_verifies_only_codes_issued_before_retirement() -> None:
    retired_at = ISSUED + timedelta(hours=1)
    keyring = keyring_of(KEY.public_info(retired_at=retired_at))
    before = sign(payload(issued_at=retired_at - timedelta(seconds=1)), KEY)
    at = sign(payload(issued_at=retired_at), KEY)
    after = sign(payload(issued_at=retired_at + timedelta(days=3)), KEY)
    assert verify(before, keyring).issued_at < retired_at
    assert reason_of(at, keyring) is Reason.KEY_RETIRED
    assert reason_of(after, keyring) is Reason.KEY_RETIRED
    with pytest.raises(ValueError, match="timezone"):
        KEY.public_info(retired_at=datetime(2025, 1, 1))


def test_a_code_whose_signature_was_verified_before_is_still_checked_for_its_key() -> None:
    """`signature_verified` (the server's own record of the code) skips only the Ed25519
    arithmetic: an unknown key, a key retired before the code was issued and a bad
    payload are refused as always."""
    code = sign(payload(), KEY)
    assert verify(code, KEYRING, signature_verified=True) == verify(code, KEYRING)
    with pytest.raises(InvalidTicketCode) as unknown:
        verify(code, keyring_of(OTHER.public_info()), signature_verified=True)
    assert unknown.value.reason is Reason.UNKNOWN_KEY
    retired = keyring_of(KEY.public_info(retired_at=ISSUED - timedelta(days=1)))
    with pytest.raises(InvalidTicketCode) as late:
        verify(code, retired, signature_verified=True)
    assert late.value.reason is Reason.KEY_RETIRED
    with pytest.raises(InvalidTicketCode) as malformed:
        verify("v1.x.y.z", KEYRING, signature_verified=True)
    assert malformed.value.reason is Reason.MALFORMED


def test_the_line_a_code_claims_is_read_without_trusting_it() -> None:
    line = uuid.uuid4()
    assert claimed_line_id(sign(payload(line_id=str(line)), KEY)) == line
    assert claimed_line_id(sign(payload(line_id="not-a-uuid"), KEY)) is None
    assert claimed_line_id(sign(payload(line_id=17), KEY)) is None
    for junk in ("", "garbage", "v1.k.!!!.s", "v1.k.W10.s", "v1." + "A" * 2000, None, 5):
        assert claimed_line_id(junk) is None  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    line_id=st.uuids().map(str) | st.integers(0, 2**53) | st.text(min_size=1, max_size=40),
    event_id=st.integers(-(2**31), 2**31) | st.text(min_size=1, max_size=20),
    place=st.tuples(st.booleans(), st.text(min_size=1, max_size=20) | st.integers(0, 10**9)),
    issued=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
def test_sign_verify_round_trip(
    line_id: str | int, event_id: str | int, place: tuple[bool, str | int], issued: datetime
) -> None:
    is_seat, place_id = place
    p = TicketPayload(
        line_id=line_id,
        event_id=event_id,
        seat_id=place_id if is_seat else None,
        area_id=None if is_seat else place_id,
        issued_at=issued,
    )
    claims = verify(sign(p, KEY), KEYRING)
    assert (claims.line_id, claims.event_id, claims.seat_id, claims.area_id) == (
        p.line_id,
        p.event_id,
        p.seat_id,
        p.area_id,
    )
    assert claims.issued_at == p.issued_at


CODE = sign(payload(), KEY)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(CODE) - 1), st.sampled_from(B64_CHARS + ".v=+/ ~"))
def test_any_single_character_tamper_fails(position: int, char: str) -> None:
    if CODE[position] == char:
        return
    tampered = CODE[:position] + char + CODE[position + 1 :]
    with pytest.raises(InvalidTicketCode):
        verify(tampered, KEYRING)


def test_every_position_of_the_signature_and_payload_is_covered() -> None:
    """Exhaustive: flip every character once (the canonical-base64 check matters for the
    last character of the signature, whose low bits are unused)."""
    for position, current in enumerate(CODE):
        replacement = "A" if current != "A" else "B"
        tampered = CODE[:position] + replacement + CODE[position + 1 :]
        with pytest.raises(InvalidTicketCode):
            verify(tampered, KEYRING)
    last = CODE[-1]
    sibling = B64_CHARS[B64_CHARS.index(last) ^ 1]  # differs only in an unused low bit
    with pytest.raises(InvalidTicketCode) as info:
        verify(CODE[:-1] + sibling, KEYRING)
    assert info.value.reason is Reason.MALFORMED
