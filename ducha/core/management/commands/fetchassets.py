from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core import assets
from ducha.core.commands import DuchaCommand


class Command(DuchaCommand):
    requires_system_checks = []  # runs at set-up, before anything else needs to work
    help = gettext_lazy(
        "Download pinned browser assets (ECharts) from the npm registry, once, at set-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help=_("download even if present"))

    def handle(self, *args, force=False, **options):
        todo = assets.ASSETS if force else assets.missing()
        for asset in todo:
            self.stdout.write(
                _("fetching %(package)s@%(version)s from %(url)s")
                % {"package": asset.package, "version": asset.version, "url": asset.url}
            )
            try:
                assets.install(asset)
            except (OSError, ValueError) as exc:
                raise CommandError(f"{asset.package}@{asset.version}: {exc}") from exc
