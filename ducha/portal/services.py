"""Writing and publishing bulletins, publishing plans: the office only."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ducha.assessments.services import choose_as_of
from ducha.audit.services import diff, record, snapshot
from ducha.core.conflicts import StaleVersion
from ducha.core.policies import require
from ducha.notifications import services as notifications
from ducha.portal import drafting, selectors
from ducha.portal.models import (
    BULLETIN_TRANSITIONS,
    Bulletin,
    BulletinState,
    PlanPublication,
    PlanSnapshot,
)
from ducha.reporting.models import Round

FIELDS = ["title", "body", "plan_id", "published", "archived_at"]
DRAFT_FIELDS = [*FIELDS, "round_id", "as_of", "issuer"]


class PortalError(Exception):
    pass


class BulletinConflict(StaleVersion, PortalError):
    """Someone else changed the bulletin since the page was read (the page answers 409)."""


def _check_version(bulletin: Bulletin, expected_version) -> None:
    if expected_version is not None and bulletin.version != expected_version:
        raise BulletinConflict(
            _("Someone else changed this bulletin meanwhile; nothing was saved.")
        )


@transaction.atomic
def save_bulletin(
    actor,
    bulletin: Bulletin | None,
    *,
    title,
    body,
    plan=None,
    expected_version=None,
    is_demo=False,
) -> Bulletin:
    if actor is not None:
        require(actor, "add" if bulletin is None else "change", bulletin or Bulletin)
    if not title.strip() or not body.strip():
        raise PortalError(_("A bulletin needs a title and a text."))
    if bulletin is None:
        bulletin = Bulletin(created_by=actor, is_demo=is_demo)
        before = {}
    else:
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _check_version(bulletin, expected_version)
        before = snapshot(bulletin, FIELDS)
        bulletin.version += 1
    bulletin.title, bulletin.body, bulletin.plan = title.strip(), body.strip(), plan
    bulletin.save()
    record(
        actor, "portal.bulletin.saved", bulletin, changes=diff(before, snapshot(bulletin, FIELDS))
    )
    return bulletin


def compose_draft(rnd: Round, as_of=None) -> tuple[drafting.Draft, drafting.Facts]:
    """The text of a bulletin on `rnd` (default date: `selectors.round_as_of`), unsaved.

    A date before the round's period ended is refused: the bulletin would report progress
    from before the period it is about, beside this round's reporting rates.
    """
    if as_of is not None and as_of < rnd.period_end:
        raise PortalError(
            _("as of: %(day)s is before the end of %(round)s (%(end)s); choose a later date")
            % {"day": as_of.isoformat(), "round": rnd.title, "end": rnd.period_end.isoformat()}
        )
    facts = selectors.bulletin_facts(rnd, as_of)
    return drafting.compose(facts), facts


@transaction.atomic
def draft_bulletin(actor, rnd: Round, *, as_of=None, is_demo=False) -> Bulletin:
    """A new unpublished bulletin drafted from the data of `rnd`, for the office to edit.

    A bulletin on demo data is demo data itself: `ducha demo` replaces it with its rounds.
    """
    if actor is not None:
        require(actor, "add", Bulletin)
    draft, facts = compose_draft(rnd, as_of)
    bulletin = Bulletin.objects.create(
        title=draft.title[:200],
        body=draft.body,
        tables=draft.tables,
        plan=rnd.plan,
        round=rnd,
        as_of=facts.as_of,
        issuer=facts.issuer,
        created_by=actor,
        is_demo=is_demo or rnd.is_demo,
    )
    record(
        actor,
        "portal.bulletin.drafted",
        bulletin,
        changes={**diff({}, snapshot(bulletin, DRAFT_FIELDS)), "tables": len(draft.tables)},
    )
    return bulletin


STEP_LABELS = {
    "publish": pgettext_lazy("bulletin step", "published"),
    "unpublish": pgettext_lazy("bulletin step", "unpublished"),
    "archive": pgettext_lazy("bulletin step", "archived"),
    "restore": pgettext_lazy("bulletin step", "restored"),
}


def _step(published, archived) -> str:
    if archived is not None:
        return "archive" if archived else "restore"
    return "publish" if published else "unpublish"


@transaction.atomic
def set_bulletin_state(
    actor, bulletin: Bulletin, *, published=None, archived=None, expected_version=None
) -> Bulletin:
    """Publish, unpublish, archive (the soft delete) or restore a bulletin, as
    `BULLETIN_TRANSITIONS` allows from where it stands."""
    if actor is not None:
        require(actor, "change", bulletin)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _check_version(bulletin, expected_version)
    step = _step(published, archived)
    if bulletin.state not in BULLETIN_TRANSITIONS[step]:
        raise PortalError(
            _("A bulletin that is %(state)s cannot be %(step)s.")
            % {"state": BulletinState(bulletin.state).label, "step": STEP_LABELS[step]}
        )
    before = snapshot(bulletin, FIELDS)
    first_publication = bool(published) and bulletin.published_at is None
    if published is not None:
        bulletin.published = published
        if published and bulletin.published_at is None:
            bulletin.published_at = timezone.now()
    if archived is not None:
        bulletin.archived_at = timezone.now() if archived else None
        if archived:
            bulletin.published = False
    bulletin.version += 1
    bulletin.save()
    record(
        actor, "portal.bulletin.state", bulletin, changes=diff(before, snapshot(bulletin, FIELDS))
    )
    if first_publication:
        _notify_published(bulletin)
    return bulletin


def _notify_published(bulletin: Bulletin) -> None:
    """A bulletin's first publication goes to every unit head and leader, and every group."""
    from ducha.accounts.models import Role, User
    from ducha.notifications.models import Robot

    people = User.objects.filter(role__in=[Role.UNIT_HEAD, Role.LEADER], is_active=True)
    notifications.notify(
        "portal.bulletin.published",
        f"portal.bulletin.published:{bulletin.pk}",
        subject=_("[ducha] Bulletin published: %(title)s") % {"title": bulletin.title},
        body=_("The office published the bulletin “%(title)s”. Read it:")
        % {"title": bulletin.title},
        url=notifications.link(reverse("portal:bulletin", args=[bulletin.pk])),
        users=people.select_related("notification_preference"),
        units=Robot.objects.exclude(org_unit=None).values_list("org_unit", flat=True).distinct(),
        office=True,
    )


@transaction.atomic
def publish_plan(actor, plan, published: bool, *, as_of=None) -> PlanPublication:
    """Publish the plan's progress, or withdraw the plan from the public portal.

    Publishing is a deliberate step: it freezes the assessment as of `as_of` (default: the
    plan's default date, `assessments.services.choose_as_of`) into a new `PlanSnapshot`, which
    is what the public sees until the office publishes again. Withdrawing hides the plan; its
    snapshots are kept.
    """
    if actor is not None:
        require(actor, "change", PlanPublication)
    pub, _created = PlanPublication.objects.select_for_update().get_or_create(plan=plan)
    before = snapshot(pub, ["published"])
    changes: dict = {}
    if published:
        day = as_of or choose_as_of(plan).date
        now = timezone.now()
        frozen = PlanSnapshot.objects.create(
            plan=plan,
            as_of=day,
            data=selectors.public_snapshot(plan, day),
            published_at=now,
            published_by=actor,
        )
        pub.published_at, pub.published_by = now, actor
        changes = {"as_of": day, "snapshot": frozen.pk, "overall": frozen.data["overall"]}
    pub.published = published
    pub.save()
    record(
        actor,
        "portal.plan.published" if published else "portal.plan.unpublished",
        plan,
        changes={**diff(before, snapshot(pub, ["published"])), **changes},
    )
    return pub
