from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "enturf_server.sync"
    label = "sync"
