"""Writing and publishing bulletins, publishing plans: the office only."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import diff, record, snapshot
from ducha.core.policies import require
from ducha.portal.models import Bulletin, PlanPublication

FIELDS = ["title", "body", "plan_id", "published", "archived_at"]


class PortalError(Exception):
    pass


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
        if expected_version is not None and bulletin.version != expected_version:
            raise PortalError(_("Someone else changed this bulletin meanwhile; nothing was saved."))
        before = snapshot(bulletin, FIELDS)
        bulletin.version += 1
    bulletin.title, bulletin.body, bulletin.plan = title.strip(), body.strip(), plan
    bulletin.save()
    record(
        actor, "portal.bulletin.saved", bulletin, changes=diff(before, snapshot(bulletin, FIELDS))
    )
    return bulletin


@transaction.atomic
def set_bulletin_state(actor, bulletin: Bulletin, *, published=None, archived=None) -> Bulletin:
    """Publish, unpublish or archive (the soft delete) a bulletin."""
    if actor is not None:
        require(actor, "change", bulletin)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    before = snapshot(bulletin, FIELDS)
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
    return bulletin


@transaction.atomic
def publish_plan(actor, plan, published: bool) -> PlanPublication:
    if actor is not None:
        require(actor, "change", PlanPublication)
    pub, _created = PlanPublication.objects.select_for_update().get_or_create(plan=plan)
    before = snapshot(pub, ["published"])
    pub.published = published
    if published:
        pub.published_at, pub.published_by = timezone.now(), actor
    pub.save()
    record(
        actor,
        "portal.plan.published" if published else "portal.plan.unpublished",
        plan,
        changes=diff(before, snapshot(pub, ["published"])),
    )
    return pub
