from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "enturf_server.checkins"
    label = "checkins"
    verbose_name = "Door check-in"

    def ready(self) -> None:
        # the `checkin` push op, the checkin_list / admission / checkin snapshots, and the
        # admissions emitted with every booking change (sales.feed's listeners)
        from enturf_server.checkins import admissions, feed, push_handlers  # noqa: F401
        from enturf_server.sales.feed import when_booking_emitted

        when_booking_emitted(admissions.emit_admissions)
