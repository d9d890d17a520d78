from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "enturf_server.billing"
    label = "billing"

    def ready(self) -> None:
        from enturf_server.billing.services.booking_pricing import (
            booking_extras,
            record_booking_pricing,
        )
        from enturf_server.sales import pricing_extras

        # sales prices bookings with billing's fee and vouchers without importing billing
        pricing_extras.provide(extras=booking_extras, record=record_booking_pricing)
