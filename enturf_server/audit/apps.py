from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "enturf_server.audit"
    label = "audit"
