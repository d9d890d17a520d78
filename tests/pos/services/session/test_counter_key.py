"""The counter key of the local hashes (offline login, unlock password, unlock PIN), on a
local database only: hashes made before it still work and are upgraded, a copied database
on another computer (another keyring) refuses with a message to sign in online, the PIN
keeps working offline on its own counter. (Wrong PINs turning PIN unlock off, with keyed
hashes: test_role_grants_and_pin.py.)"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from datetime import UTC, datetime

import keyring
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from support.memory_keyring import MemoryKeyring

from enturf_core.ticket_codes import SigningKey
from enturf_pos.config import PosConfig
from enturf_pos.models import ApprovalKey, Device, LocalUser
from enturf_pos.services.session import (
    approvals,
    auth_service,
    counter_key,
    local_password,
    unlock_pin,
)
from enturf_pos.services.session.auth_service import CurrentUser, LoginCode
from enturf_pos.services.session.local_password import Verdict
from enturf_pos.services.session.pos_context import PosContext, open_context
from enturf_pos.services.session.secret_store import Secret

PASSWORD, PIN = "Cash-pass-42", "4821"
ME = CurrentUser(5, "user5", "employee", "Someone", offline=True)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def params_from_before() -> str:
    """Key derivation parameters as `local_password` made them before the counter key
    (unkeyed salted scrypt; N=2^12 instead of its 2^17 to keep the test quick: the format
    carries N)."""
    return f"scrypt$12$8$1${_b64(os.urandom(16))}"


def hash_from_before(secret: str) -> str:
    """A hash as `local_password` made it before the counter key (built here, by hand)."""
    params = params_from_before()
    salt = base64.urlsafe_b64decode(params.rsplit("$", 1)[1] + "==")
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=1 << 12, r=8, p=1, dklen=32)
    return f"{params}${_b64(digest)}"


def add_counter_user(ctx: PosContext, *, password_hash: str, pin_hash: str | None) -> None:
    with ctx.db.transaction() as s:
        s.add(Device(id=1, server_url="http://127.0.0.1:9", device_id="dev-1", name="C1"))
        s.add(
            LocalUser(
                id=ME.id,
                username=ME.username,
                role=ME.role,
                password_hash=password_hash,
                last_online_login=datetime.now(UTC),
                pin_hash=pin_hash,
            )
        )


def stored(ctx: PosContext) -> LocalUser:
    with ctx.db.transaction() as s:
        row = s.get(LocalUser, ME.id)
        s.expunge(row)
        return row


def test_a_hash_is_checked_only_with_the_key_it_was_made_with():
    key, other = os.urandom(32), os.urandom(32)
    encoded = local_password.hash_password(PIN, key)
    assert encoded.startswith(f"scrypt-hmac${local_password.key_id(key)}$13$8$1$")
    assert local_password.check_password(PIN, encoded, key) == local_password.Checked(Verdict.RIGHT)
    assert local_password.check_password("4822", encoded, key).verdict is Verdict.WRONG
    assert local_password.check_password(PIN, encoded, None).verdict is Verdict.NO_KEY
    assert local_password.check_password(PIN, encoded, other).verdict is Verdict.NO_KEY
    # what a copied database gives: the salt and digest, but scrypt over the PIN alone
    # (what a search without the key can compute) is not the digest
    *_, salt, digest = encoded.split("$")
    unkeyed = hashlib.scrypt(
        PIN.encode(), salt=base64.urlsafe_b64decode(salt + "=="), n=1 << 13, r=8, p=1, dklen=32
    )
    assert _b64(unkeyed) != digest
    assert _b64(key) not in encoded and base64.b64encode(key).decode() not in encoded


def test_hashes_from_before_the_counter_key_work_and_are_upgraded_at_the_next_right_check(ctx):
    add_counter_user(ctx, password_hash=hash_from_before(PASSWORD), pin_hash=hash_from_before(PIN))
    assert counter_key.current(ctx) is None  # an updated counter: no key yet
    assert unlock_pin.pin_state(ctx=ctx, user=ME).usable

    # a wrong PIN counts and upgrades nothing
    wrong = unlock_pin.check_pin(ctx=ctx, user=ME, pin="0000")
    assert not wrong.ok and wrong.message.startswith(unlock_pin.WRONG_PIN)
    assert stored(ctx).pin_hash.startswith("scrypt$12$")
    assert unlock_pin.check_pin(ctx=ctx, user=ME, pin=PIN).ok
    key = counter_key.current(ctx)
    assert key is not None  # made at the upgrade, in the keyring
    row = stored(ctx)
    assert local_password.is_current(row.pin_hash, key) and row.pin_failures == 0
    assert row.password_hash.startswith("scrypt$12$")  # the password's waits for the password

    assert auth_service.login_offline(ctx=ctx, username=ME.username, password=PASSWORD).ok
    assert local_password.is_current(stored(ctx).password_hash, key)
    # and the upgraded hashes keep working
    assert unlock_pin.check_pin(ctx=ctx, user=ME, pin=PIN).ok
    assert auth_service.check_unlock(ctx=ctx, user=ME, password=PASSWORD).ok
    assert counter_key.current(ctx) == key


def test_the_pin_still_unlocks_offline_on_its_own_counter_after_a_restart(pos_config):
    ctx = open_context(pos_config)
    add_counter_user(ctx, password_hash=hash_from_before(PASSWORD), pin_hash=None)
    assert unlock_pin.set_pin(ctx=ctx, user=ME, pin=PIN, again=PIN).ok
    ctx.close()
    again = open_context(pos_config)  # the same keyring
    try:
        assert unlock_pin.check_pin(ctx=again, user=ME, pin=PIN).ok
        assert auth_service.login_offline(ctx=again, username=ME.username, password=PASSWORD).ok
    finally:
        again.close()


@pytest.fixture
def copied(ctx: PosContext, tmp_path):
    """`ctx`'s database with a PIN and a password hashed under its counter key, copied
    to another computer: another data folder and an empty keyring (restored after)."""
    add_counter_user(ctx, password_hash=counter_key.new_hash(ctx, PASSWORD), pin_hash=None)
    assert unlock_pin.set_pin(ctx=ctx, user=ME, pin=PIN, again=PIN).ok
    ctx.db.engine.dispose()
    folder = tmp_path / "elsewhere"
    shutil.copytree(ctx.config.data_dir, folder)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    elsewhere = open_context(PosConfig(data_dir=folder))
    assert elsewhere.secrets.namespace == ctx.secrets.namespace  # the same install's name
    yield elsewhere
    elsewhere.close()
    keyring.set_keyring(previous)


def refuses_everything(ctx: PosContext) -> None:
    state = unlock_pin.pin_state(ctx=ctx, user=ME)
    assert not state.usable and state.reason == counter_key.MISSING_LOCKED
    pin = unlock_pin.check_pin(ctx=ctx, user=ME, pin=PIN)
    assert not pin.ok and pin.message == counter_key.MISSING_LOCKED
    assert pin.code == LoginCode.OFFLINE_REFUSED
    unlock = auth_service.check_unlock(ctx=ctx, user=ME, password=PASSWORD)
    assert not unlock.ok and unlock.message == counter_key.MISSING_LOCKED
    offline = auth_service.login_offline(ctx=ctx, username=ME.username, password=PASSWORD)
    assert not offline.ok and offline.message == counter_key.MISSING
    assert "sign in online" in offline.message.lower()
    assert stored(ctx).pin_failures == 0  # a refusal is not a wrong PIN


def test_a_copied_database_on_another_computer_refuses_pin_and_offline_login(copied):
    assert copied.secrets.get(Secret.LOCAL_HASH_KEY) is None
    refuses_everything(copied)
    # the stored hashes cannot be checked there without the key
    row = stored(copied)
    for encoded, secret in ((row.pin_hash, PIN), (row.password_hash, PASSWORD)):
        assert local_password.check_password(secret, encoded, None).verdict is Verdict.NO_KEY


def test_a_copied_database_with_another_counter_key_in_that_keyring_refuses_too(copied):
    other = counter_key.ensure(copied)  # e.g. someone else signed in online there
    assert other and counter_key.current(copied) == other
    refuses_everything(copied)
    row = stored(copied)
    assert local_password.check_password(PIN, row.pin_hash, other).verdict is Verdict.NO_KEY


def test_a_keyring_that_lost_the_key_refuses_until_a_new_hash_is_made(ctx):
    add_counter_user(ctx, password_hash=counter_key.new_hash(ctx, PASSWORD), pin_hash=None)
    assert unlock_pin.set_pin(ctx=ctx, user=ME, pin=PIN, again=PIN).ok
    ctx.secrets.delete(Secret.LOCAL_HASH_KEY)  # the keyring was reset
    refuses_everything(ctx)
    # an online login writes a fresh hash under a new key (as auth_service.login does)
    with ctx.db.transaction() as s:
        s.get(LocalUser, ME.id).password_hash = counter_key.new_hash(ctx, PASSWORD)
    assert auth_service.login_offline(ctx=ctx, username=ME.username, password=PASSWORD).ok
    assert unlock_pin.pin_state(ctx=ctx, user=ME).reason == counter_key.MISSING_LOCKED
    assert unlock_pin.set_pin(ctx=ctx, user=ME, pin=PIN, again=PIN).ok  # a PIN set again
    assert unlock_pin.check_pin(ctx=ctx, user=ME, pin=PIN).ok


def test_an_approval_key_sealed_before_the_counter_key_opens_and_is_sealed_under_it(ctx):
    add_counter_user(ctx, password_hash=counter_key.new_hash(ctx, PASSWORD), pin_hash=None)
    signing = SigningKey.generate()
    kdf, secret = local_password.derive_key(PASSWORD, None, params_from_before())
    nonce = os.urandom(12)
    sealed = AESGCM(secret).encrypt(
        nonce, signing.to_base64().encode("ascii"), f"{ME.id}:{signing.key_id}".encode()
    )
    registered = datetime(2026, 1, 2, tzinfo=UTC)
    with ctx.db.transaction() as s:
        s.add(
            ApprovalKey(
                user_id=ME.id,
                key_id=signing.key_id,
                public_key=signing.public_key_base64(),
                kdf=kdf,
                sealed=base64.urlsafe_b64encode(nonce + sealed).decode("ascii"),
                registered_at=registered,
            )
        )
    assert approvals._stored_key(ctx, ME.id, "not-the-password") is None
    assert approvals._stored_key(ctx, ME.id, PASSWORD).key_id == signing.key_id
    with ctx.db.transaction() as s:
        row = s.get(ApprovalKey, ME.id)
        made_with = local_password.key_id(counter_key.current(ctx))
        assert row.kdf.startswith(f"scrypt-hmac${made_with}$")
        assert row.key_id == signing.key_id and row.registered_at == registered
    assert approvals._stored_key(ctx, ME.id, PASSWORD).key_id == signing.key_id
    # without the counter key neither the key opens nor the password is checked here
    ctx.secrets.delete(Secret.LOCAL_HASH_KEY)
    assert approvals._stored_key(ctx, ME.id, PASSWORD) is None
    refused = approvals.approve(ctx=ctx, username=ME.username, password=PASSWORD)
    assert not refused.ok and "key is missing" in refused.message
