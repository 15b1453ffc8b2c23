from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ducha.notifications.services import MAX_ATTEMPTS, retry_failed


class Command(BaseCommand):
    help = (
        "Send the notifications still waiting and try again those that failed (up to "
        f"{MAX_ATTEMPTS} attempts each). Safe to run from cron: nothing is sent twice."
    )

    def handle(self, *args, **options):
        counts = retry_failed()
        self.stdout.write(
            _("%(sent)d notifications sent, %(failed)d failed.")
            % {"sent": counts["sent"], "failed": counts["failed"]}
        )
