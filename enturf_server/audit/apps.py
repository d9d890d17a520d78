from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "enturf_server.audit"
    label = "audit"

    def ready(self) -> None:
        from enturf_server.audit import chain
        from enturf_server.audit.models import AuditEntry
        from enturf_server.sync import changes

        changes.register_serial_insert(AuditEntry, chain.append)
