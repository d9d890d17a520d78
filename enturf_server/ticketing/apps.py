from django.apps import AppConfig


class TicketingConfig(AppConfig):
    name = "enturf_server.ticketing"
    label = "ticketing"
