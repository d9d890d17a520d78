"""Secrets: the keyring when there is one, memory (and a plain warning) when there is not."""

from __future__ import annotations

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer

from enturf_pos.services.session.secret_store import NO_KEYRING_WARNING, Secret, SecretStore


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A backend that reads but fails to write (a locked or crashed keyring daemon)."""

    priority = 5  # type: ignore[assignment]

    def __init__(self, entries: dict) -> None:
        super().__init__()
        self.entries = entries

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("the keyring is locked")

    def delete_password(self, service, username):
        raise keyring.errors.PasswordDeleteError("the keyring is locked")


class PlainFileLikeKeyring(BrokenKeyring):
    priority = 0.5  # type: ignore[assignment]  # e.g. keyrings.alt's plaintext file backend


def test_secrets_go_to_the_keyring_under_the_enturf_pos_service(memory_keyring):
    store = SecretStore(namespace="abc")
    assert store.persistent and store.warning is None
    store.set(Secret.USER_TOKEN, "t0k3n")
    assert memory_keyring.entries == {("enturf-pos", "abc:user_token"): "t0k3n"}
    assert SecretStore(namespace="abc").get(Secret.USER_TOKEN) == "t0k3n"  # survives restarts
    assert SecretStore(namespace="other").get(Secret.USER_TOKEN) is None
    store.delete(Secret.USER_TOKEN)
    store.delete(Secret.USER_TOKEN)  # deleting twice is fine
    assert store.get(Secret.USER_TOKEN) is None


def test_without_a_keyring_secrets_live_in_memory_with_a_warning(no_keyring):
    store = SecretStore(namespace="abc")
    assert not store.persistent
    assert store.warning == NO_KEYRING_WARNING and "memory" in store.warning
    store.set(Secret.DEVICE_TOKEN, "dev")
    assert store.get(Secret.DEVICE_TOKEN) == "dev"
    assert SecretStore(namespace="abc").get(Secret.DEVICE_TOKEN) is None  # gone on restart


def test_a_chainer_with_no_backends_counts_as_no_keyring():
    previous = keyring.get_keyring()

    class EmptyChainer(chainer.ChainerBackend):
        backends = []  # type: ignore[assignment]  # what keyring finds on a bare machine

    keyring.set_keyring(EmptyChainer())
    try:
        assert not SecretStore(namespace="x").persistent
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("backend", [PlainFileLikeKeyring({})], ids=["plaintext"])
def test_backends_keyring_itself_ranks_unsafe_are_not_used(backend):
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        assert not SecretStore(namespace="x").persistent
    finally:
        keyring.set_keyring(previous)


def test_a_keyring_that_fails_to_write_falls_back_to_memory_keeping_what_it_had():
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring({("enturf-pos", "x:device_token"): "dev"}))
    try:
        store = SecretStore(namespace="x")
        assert store.persistent
        store.set(Secret.USER_TOKEN, "user")
        assert not store.persistent and store.warning
        assert store.get(Secret.USER_TOKEN) == "user"
        assert store.get(Secret.DEVICE_TOKEN) == "dev"
    finally:
        keyring.set_keyring(previous)


def test_empty_secrets_are_refused(memory_keyring):
    with pytest.raises(ValueError):
        SecretStore(namespace="x").set(Secret.USER_TOKEN, "")
