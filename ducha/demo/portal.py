"""Demo bulletins (通报) drafted from the data of the closed rounds, and the plan published."""

from __future__ import annotations

from ducha.notifications import services as notifications
from ducha.portal import services
from ducha.portal.models import Bulletin, PlanPublication
from ducha.reporting.models import Round, RoundState


def remove_portal_demo() -> None:
    Bulletin.objects.filter(is_demo=True).delete()


@notifications.muted()  # demo data notifies nobody
def load_portal_demo(plan, office) -> None:
    """One bulletin per closed round, drafted as the office's button drafts it: all but the
    latest published, the latest left as a draft for the office to edit and publish."""
    remove_portal_demo()
    rounds = list(
        Round.objects.filter(plan=plan, state=RoundState.CLOSED, is_demo=True)
        .select_related("plan")
        .order_by("period_end")
    )
    for i, rnd in enumerate(rounds):
        b = services.draft_bulletin(None, rnd, is_demo=True)
        if i < len(rounds) - 1:
            services.set_bulletin_state(None, b, published=True)
    if not PlanPublication.objects.filter(plan=plan, published=True).exists():
        services.publish_plan(None, plan, True)
