from django.utils.translation import gettext as _

from ducha.core.commands import DuchaCommand
from ducha.notifications.services import MAX_ATTEMPTS, retry_failed


class Command(DuchaCommand):
    @property
    def help(self):  # a number in the text: formatted when the parser is built
        return _(
            "Send the notifications still waiting and try again those that failed (up to "
            "%(n)d attempts each). Safe to run from cron: nothing is sent twice."
        ) % {"n": MAX_ATTEMPTS}

    def handle(self, *args, **options):
        counts = retry_failed()
        self.stdout.write(
            _("%(sent)d notifications sent, %(failed)d failed.")
            % {"sent": counts["sent"], "failed": counts["failed"]}
        )
