"""Labels this branch adds to the shared templates (the navigation in core's base.html and
core's lockout page). They are marked here so that they live in this app's translation
catalogue; Django merges every app's catalogue at run time."""

from django.utils.translation import gettext_noop

SHARED_LABELS = [
    gettext_noop("Reporting"),
    gettext_noop("Supervision"),
    gettext_noop("Ranking"),
    gettext_noop("Audit log"),
    gettext_noop("Publishing"),
    gettext_noop("Public information"),
    gettext_noop("Account locked"),
    gettext_noop("Too many failed sign-ins"),
    gettext_noop(
        "This account is locked after repeated wrong passwords. Try again in %(t)s "
        "(hours:minutes:seconds), or ask the office to unlock it."
    ),
]
