from django.core.management.base import BaseCommand, CommandError

from enturf_server.audit.chain import verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain: every entry's hash and its link to the one "
        "before, and the chain head. Exits 1 and names the first broken entry if any."
    )

    def handle(self, *args, **options):
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(
                f"audit chain broken at entry {verdict.broken_id} "
                f"(after {verdict.checked} good entries): {verdict.reason}",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {verdict.checked} entries")
