"""`enturf-server seed_demo`: demo users, settings, two venues and a month of events."""

from django.core.management.base import BaseCommand

from enturf_server.catalog.demo_seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo data (users admin/cashier/customer, Theatre Royal, Enturf Arena, "
        "events over the coming weeks). Safe to run again: existing data is left alone."
    )

    def handle(self, *args, **options):
        report = seed_demo()
        self.stdout.write(str(report))
