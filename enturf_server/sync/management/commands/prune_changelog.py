from django.conf import settings
from django.core.management.base import BaseCommand

from enturf_server.sync.pruning import prune


class Command(BaseCommand):
    help = (
        "Delete old change-log entries (counters behind them take a new snapshot) and "
        "processed push ops their counters can no longer replay. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ENTURF_CHANGELOG_KEEP_DAYS,
            help="keep change-log entries this many days (default %(default)s)",
        )
        parser.add_argument(
            "--ops-days",
            type=int,
            default=settings.ENTURF_PROCESSED_OPS_KEEP_DAYS,
            help="keep processed ops at least this many days (default %(default)s)",
        )

    def handle(self, *args, days: int, ops_days: int, **options):
        report = prune(keep_days=days, keep_ops_days=ops_days)
        self.stdout.write(
            f"change log: {report.entries_deleted} entries deleted, kept after "
            f"#{report.pruned_through}; processed ops: {report.ops_deleted} deleted"
        )
