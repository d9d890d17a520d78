"""OpenAPI schema details that drf-spectacular cannot infer (imported by the project's
urls, which registers them before the schema is built)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class EmailOrEmptyField(OpenApiSerializerFieldExtension):
    """An e-mail field that may be empty (a staff member or a counter sale without one)
    is "an e-mail address or the empty string", not `format: email`, which "" fails.
    Read-only fields lose `allow_blank` in DRF, so every output e-mail may be empty."""

    target_class = "rest_framework.fields.EmailField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if field.read_only or getattr(field, "allow_blank", False):
            # no top-level type: spectacular would add `format: email` from the validator
            return {
                "anyOf": [
                    {"type": "string", "format": "email"},
                    {"type": "string", "maxLength": 0},
                ]
            }
        return {"type": "string", "format": "email"}
