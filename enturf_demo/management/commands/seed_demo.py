"""`enturf-server seed_demo`: demo users, settings, two venues and a month of events."""

from django.conf import settings
from django.core.management.base import BaseCommand

from enturf_demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo data (users admin/cashier/customer, Theatre Royal, Enturf Arena, "
        "events over the coming weeks). Safe to run again: existing data is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--gateway-db",
            metavar="PATH",
            help="the card gateway simulator's SQLite file (its --db): the demo sales' card "
            "payments are made there, so they can be refunded by card. Without it they "
            "carry PaymentIntents no gateway knows.",
        )

    def handle(self, *args, **options):
        report = seed_demo(gateway_db=options["gateway_db"])
        self.stdout.write(str(report))
        if report.created and not settings.ENTURF_DEMO:
            self.stdout.write(
                "No demo counter: this is not the demo installation (`make run` sets "
                "ENTURF_DEMO=1, and only there does the setup code DEMO-COUNTER exist)."
            )
