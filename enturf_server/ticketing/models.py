"""The server's own ticket-signing keys, remembered so that codes keep verifying.

The private key lives outside the database (`ticketing.keys`); this table records each
public key the server ever signed with. When the configured key changes, the previous one
is retired (it then verifies only codes issued before), never forgotten.
"""

from __future__ import annotations

from django.db import models


class ServerSigningKey(models.Model):
    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64, help_text="raw Ed25519 key, base64url")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        state = f"retired {self.retired_at:%Y-%m-%d}" if self.retired_at else "active"
        return f"server key {self.key_id} ({state})"
