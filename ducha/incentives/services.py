"""Every write of awards and subsidies: applications through their workflow, payments, and
the import of application files. Each function is atomic, checks the policy, writes the
audit entry and mails on commit. `actor=None` is the command line (a trusted operator).

The rules the office asked for, each refused with a message naming the field:
- the approved amount may not exceed the rule's cap, the amount the rule computes, or what
  was requested;
- approvals may not take a scheme past its budget for the year (the message says what is
  left);
- payments may not exceed what was approved and is still unpaid;
- an enterprise must meet the eligibility the registers can check (a 500强 listing, a
  leading tier) and the scheme must be active in the year;
- one application per scheme, applicant and year (withdrawn ones do not count).
Review and approval carry the version the reviewer read (optimistic locking, as in
reporting): a decision on a changed application is refused, never silently applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import record, snapshot
from ducha.core.conflicts import StaleVersion
from ducha.core.integrity import unique_guard
from ducha.core.policies import allows
from ducha.engine import incentives as rules
from ducha.engine.numbers import NumberFormatError, parse_number
from ducha.incentives.models import (
    APP_TRANSITIONS,
    COMMITTED,
    EDITABLE,
    Application,
    AppState,
    Budget,
    Eligibility,
    Payment,
    Scheme,
)
from ducha.notifications import services as notifications

S = AppState
TEN_THOUSAND = Decimal(10000)


class IncentiveError(Exception):
    """A request the rules refuse; `field` names the form field at fault, where there is one."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(StaleVersion, IncentiveError):
    """Someone changed the application since the form was read (pages answer 409)."""


# --- amounts ---------------------------------------------------------------------------------


def clean_amount(raw, field: str, label: str, *, required: bool = True) -> Decimal | None:
    """An amount in 万元 as people type it: 500 · 1,200.5 · ５００ · 500万元 · 500万 ·
    1.2亿元 · 120000元 (a bare number is 万元; a figure with 万, 亿 or 元 is read in yuan)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise IncentiveError(_("%s: enter an amount") % label, field)
        return None
    if isinstance(raw, Decimal | int | float) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "")
        in_yuan = False
        if text.endswith("元"):
            text, in_yuan = text[:-1], True
            if text.endswith("万") and not text[:-1]:
                text = ""
        if text and text[-1] in "万亿":
            in_yuan = True
        try:
            parsed = parse_number(text)
        except NumberFormatError:
            raise IncentiveError(
                _("%(label)s: %(raw)s is not an amount") % {"label": label, "raw": raw}, field
            ) from None
        if parsed.percent:
            raise IncentiveError(
                _("%(label)s: %(raw)s is a percentage, not an amount")
                % {"label": label, "raw": raw},
                field,
            )
        value = parsed.value / TEN_THOUSAND if in_yuan else parsed.value
    try:
        finite = value.is_finite()
    except InvalidOperation:
        finite = False
    if not finite or abs(value) >= Decimal("1e11"):
        raise IncentiveError(_("%s: the amount is out of range") % label, field)
    if value < 0:
        raise IncentiveError(_("%s: the amount cannot be negative") % label, field)
    return value.quantize(rules.PLACES)


def computed_amount(scheme: Scheme, base: Decimal | None) -> Decimal | None:
    """What the scheme's rule gives for `base`; None when a share rule has no base yet."""
    if scheme.amount_kind == rules.SHARE and base is None:
        return None
    try:
        return rules.compute(scheme.rule(), base)
    except rules.RuleError as exc:
        raise IncentiveError(
            _("The scheme %(scheme)s has an incomplete amount rule (%(field)s).")
            % {"scheme": scheme.name, "field": exc.field},
            "base_amount",
        ) from None


@dataclass
class BudgetLine:
    scheme_id: int
    year: int
    budget: Decimal | None
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return rules.remaining(self.budget, self.committed)

    @property
    def used(self) -> float | None:
        return rules.used_share(self.budget, self.committed)


def budget_lines(scheme_ids, years) -> dict[tuple[int, int], BudgetLine]:
    """{(scheme, year): BudgetLine} in two queries: budgets, and approved and paid sums."""
    scheme_ids, years = list(scheme_ids), list(years)
    out = {
        (s, y): BudgetLine(s, y, None, Decimal(0), Decimal(0)) for s in scheme_ids for y in years
    }
    for b in Budget.objects.filter(scheme_id__in=scheme_ids, year__in=years):
        out[(b.scheme_id, b.year)].budget = b.amount
    sums = (
        Application.objects.filter(scheme_id__in=scheme_ids, year__in=years, state__in=COMMITTED)
        .values("scheme_id", "year")
        .annotate(committed=Sum("approved"), paid=Sum("paid"))
    )
    for row in sums:
        line = out[(row["scheme_id"], row["year"])]
        # SQLite sums decimals as floats: back to the yuan
        line.committed = Decimal(row["committed"] or 0).quantize(rules.PLACES)
        line.paid = Decimal(row["paid"] or 0).quantize(rules.PLACES)
    return out


# --- eligibility and duplicates --------------------------------------------------------------


def eligibility_problem(scheme: Scheme, enterprise, project, year: int) -> str | None:
    """Why the applicant cannot apply for the scheme in `year`, as far as the registers tell;
    None when nothing speaks against it."""
    from ducha.enterprises.models import EnterpriseTier, RankingListing, Tier

    if not scheme.active_in(year):
        return _("the scheme %(scheme)s is not active in %(year)d") % {
            "scheme": scheme.name,
            "year": year,
        }
    if scheme.eligibility == Eligibility.PROJECT and project is None:
        return _("the scheme %s is for projects: name the project") % scheme.name
    if scheme.eligibility == Eligibility.LISTING_500:
        if enterprise is None:
            return _("the scheme %s is for enterprises: name the enterprise") % scheme.name
        first = (
            RankingListing.objects.filter(enterprise=enterprise)
            .order_by("year")
            .values_list("year", flat=True)
            .first()
        )
        if first is None:
            return _(
                "%(firm)s has no 500 list entry in the enterprise register; the %(scheme)s "
                "is for enterprises entering a domestic or global 500 list for the first time"
            ) % {"firm": enterprise.name, "scheme": scheme.name}
        if first not in (year, year - 1):
            return _(
                "%(firm)s first entered a 500 list in %(first)d; the award is for a first "
                "entry in %(year)d or the year before"
            ) % {"firm": enterprise.name, "first": first, "year": year}
    if scheme.eligibility == Eligibility.LEADING_TIER:
        if enterprise is None:
            return _("the scheme %s is for enterprises: name the enterprise") % scheme.name
        end = dt.date(year, 12, 31)
        held = EnterpriseTier.objects.filter(
            enterprise=enterprise, tier__in=[Tier.LEADER, Tier.DRAGON_HEAD], since__lte=end
        ).exists()
        if not held:
            return _(
                "%(firm)s holds no leading or dragon-head tier in the enterprise register by "
                "the end of %(year)d"
            ) % {"firm": enterprise.name, "year": year}
    return None


def _duplicate(scheme, enterprise, project, year, exclude_pk=None) -> Application | None:
    qs = Application.objects.filter(scheme=scheme, year=year).exclude(state=S.WITHDRAWN)
    qs = qs.filter(enterprise=enterprise) if enterprise is not None else qs.filter(project=project)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _duplicate_message(dup: Application) -> str:
    return _(
        "%(who)s already has application %(number)s for %(scheme)s in %(year)d (%(state)s); "
        "one application per scheme, applicant and year"
    ) % {
        "who": dup.applicant_name,
        "number": dup.number,
        "scheme": dup.scheme.name,
        "year": dup.year,
        "state": dup.get_state_display(),
    }


# --- the application itself -----------------------------------------------------------------


def _locked(application) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    return Application.objects.select_for_update().select_related("scheme").get(pk=pk)


def _require(actor, action: str, app_or_model) -> None:
    if actor is not None and not allows(actor, action, app_or_model):
        raise PermissionDenied(_("You may not do this for this application."))


def check_version(app: Application, expected_version: int | None) -> None:
    if expected_version is not None and app.version != expected_version:
        raise ConflictError(
            _(
                "%(who)s changed this application at %(time)s while you were looking at it "
                "(version %(yours)d is now %(theirs)d). Nothing was saved: look at its current "
                "state and decide again."
            )
            % {
                "who": app.updated_by or _("the command line"),
                "time": timezone.localtime(app.updated_at).strftime("%Y-%m-%d %H:%M"),
                "yours": expected_version,
                "theirs": app.version,
            },
            "version",
        )


def _move(actor, app: Application, new: str, verb: str, comment: str = "", **changes) -> None:
    if new not in APP_TRANSITIONS[app.state]:
        raise IncentiveError(
            _("An application that is %(state)s cannot become %(new)s.")
            % {"state": app.get_state_display(), "new": S(new).label}
        )
    old = app.state
    app.state = new
    app.version += 1
    app.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    app.save()
    record(
        actor,
        f"incentives.application.{verb}",
        app,
        changes={"state": [old, new], **changes},
        comment=comment,
        org_unit=app.district,
    )


def _applicant(enterprise, project):
    """(enterprise, project, district): a project's enterprise applies with it."""
    if enterprise is None and project is None:
        raise IncentiveError(_("Name the enterprise or the project that applies."), "enterprise")
    if project is not None and enterprise is None:
        enterprise = project.enterprise
    if (
        project is not None
        and enterprise is not None
        and project.enterprise_id
        not in (
            None,
            enterprise.pk,
        )
    ):
        raise IncentiveError(
            _("The project %(project)s is carried out by another enterprise than %(firm)s.")
            % {"project": project.name, "firm": enterprise.name},
            "project",
        )
    district = project.district if project is not None else enterprise.district
    return enterprise, project, district


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise IncentiveError(_("Year: %s is not a year") % year, "year") from None
    if not 2000 <= year <= 2100:
        raise IncentiveError(_("Year: %d is not a year the platform keeps") % year, "year")
    return year


@transaction.atomic
def create_application(
    actor,
    *,
    scheme: Scheme,
    year,
    requested,
    enterprise=None,
    project=None,
    base_amount=None,
    note: str = "",
    is_demo: bool = False,
) -> Application:
    """A new draft application; refused when ineligible or a duplicate."""
    enterprise, project, district = _applicant(enterprise, project)
    # Permission first: nothing about an applicant the actor may not enter for (eligibility,
    # tiers, an existing application) is checked, so nothing about it can be told.
    if actor is not None and not _may_add(actor, enterprise, project, district):
        raise PermissionDenied(_("You may not enter applications for this applicant."))
    year = _check_year(year)
    requested = clean_amount(requested, "requested", _("Amount requested"))
    base_amount = clean_amount(base_amount, "base_amount", _("Base amount"), required=False)
    if scheme.amount_kind == rules.SHARE and base_amount is None:
        raise IncentiveError(
            _("Base amount: the scheme pays a share of %s; enter it")
            % (scheme.base_label or _("the base amount")),
            "base_amount",
        )
    problem = eligibility_problem(scheme, enterprise, project, year)
    if problem:
        # a scheme not in force that year is the year's problem, not the applicant's
        field = "year" if not scheme.active_in(year) else "enterprise"
        raise IncentiveError(_("Not eligible: %s.") % problem, field)
    dup = _duplicate(scheme, enterprise, project, year)
    if dup is not None:
        raise IncentiveError(_duplicate_message(dup), "enterprise")
    computed = computed_amount(scheme, base_amount)
    note = (note or "").strip()
    _require_reason_above_rule(requested, computed, note)
    app = Application(
        scheme=scheme,
        enterprise=enterprise,
        project=project,
        district=district,
        year=year,
        requested=requested,
        base_amount=base_amount,
        computed=computed,
        note=note,
        is_demo=is_demo,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with unique_guard(IncentiveError, "enterprise"):  # the same application at the same moment
        app.save()
    record(
        actor,
        "incentives.application.created",
        app,
        changes=snapshot(
            app,
            [
                "scheme_id",
                "enterprise_id",
                "project_id",
                "year",
                "requested",
                "base_amount",
                "computed",
            ],
        ),
        org_unit=district,
    )
    return app


def _may_add(actor, enterprise, project, district) -> bool:
    """The policy's scope applied to an application not yet made (its applicant's district,
    or for a zone the applicant's park), in Python."""
    if actor.is_office:
        return True
    if not allows(actor, "add", Application):
        return False
    unit = actor.org_unit
    if unit.kind == "district":
        return district is not None and district.pk == unit.pk
    if unit.kind == "zone":
        park = enterprise.park if enterprise is not None else None
        return park is not None and park.zone_id == unit.pk
    return False


def _require_reason_above_rule(requested, computed, note: str) -> None:
    """A request above what the scheme's rule gives is allowed, but never silently: the
    note must say why (the reviewer reads it beside the rule's figure)."""
    if computed is not None and requested is not None and requested > computed and not note:
        raise IncentiveError(
            _(
                "Note: the %(requested)s 万元 requested is above the %(computed)s 万元 the "
                "scheme's rule gives; say why in the note, or request %(computed)s 万元."
            )
            % {"requested": _fmt(requested), "computed": _fmt(computed)},
            "note",
        )


EDIT_FIELDS = ("requested", "base_amount", "note")


@transaction.atomic
def update_application(actor, application, *, expected_version: int | None, **fields):
    """Change a draft or returned application's amounts or note."""
    app = _locked(application)
    _require(actor, "change", app)
    check_version(app, expected_version)
    if app.state not in EDITABLE:
        raise IncentiveError(
            _("Only a draft or returned application can be changed; this one is %s.")
            % app.get_state_display()
        )
    before = snapshot(app, [*EDIT_FIELDS, "computed"])
    if "requested" in fields:
        app.requested = clean_amount(fields["requested"], "requested", _("Amount requested"))
    if "base_amount" in fields:
        app.base_amount = clean_amount(
            fields["base_amount"], "base_amount", _("Base amount"), required=False
        )
        if app.scheme.amount_kind == rules.SHARE and app.base_amount is None:
            raise IncentiveError(
                _("Base amount: the scheme pays a share of it; enter it"), "base_amount"
            )
    if "note" in fields:
        app.note = (fields["note"] or "").strip()
    app.computed = computed_amount(app.scheme, app.base_amount)
    _require_reason_above_rule(app.requested, app.computed, app.note)
    after = snapshot(app, [*EDIT_FIELDS, "computed"])
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        app.version += 1
        app.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        app.save()
        record(actor, "incentives.application.changed", app, changes=changes, org_unit=app.district)
    return app


@transaction.atomic
def submit(actor, application, *, expected_version: int | None, comment: str = ""):
    app = _locked(application)
    _require(actor, "submit", app)
    check_version(app, expected_version)
    problem = eligibility_problem(app.scheme, app.enterprise, app.project, app.year)
    if problem:
        raise IncentiveError(_("Not eligible: %s.") % problem, "enterprise")
    app.reason = ""
    _move(actor, app, S.SUBMITTED, "submitted", comment)
    _notify(
        app,
        "submitted",
        app.scheme.managing_unit,
        _("[ducha] Application %(number)s for %(scheme)s awaits your review")
        % {"number": app.number, "scheme": app.scheme.name},
        _("%(who)s submitted %(app)s. Review it:")
        % {"who": actor or _("the command line"), "app": app},
    )
    return app


@transaction.atomic
def review(actor, application, *, expected_version: int | None, comment: str = ""):
    """The managing unit's review: the application goes on to the office for approval."""
    app = _locked(application)
    _require(actor, "review", app)
    check_version(app, expected_version)
    if app.state != S.SUBMITTED:
        raise IncentiveError(
            _("Only a submitted application can be reviewed; this one is %s.")
            % app.get_state_display()
        )
    _move(actor, app, S.REVIEWED, "reviewed", comment)
    return app


def _decide_scope(actor, app: Application) -> None:
    """Returning and rejecting: the managing unit while it reviews, the office always."""
    if actor is None or actor.is_office:
        return
    if not allows(actor, "review", app):
        raise PermissionDenied(_("Only the managing unit or the office decides on this."))
    if app.state != S.SUBMITTED:
        raise IncentiveError(
            _("It has gone on to the office; only the office can return or reject it now.")
        )


@transaction.atomic
def return_application(actor, application, *, expected_version: int | None, reason: str):
    app = _locked(application)
    _decide_scope(actor, app)
    check_version(app, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise IncentiveError(
            _("Reason: say why it is returned; the applicant needs to know."), "reason"
        )
    app.reason = reason
    _move(actor, app, S.RETURNED, "returned", reason)
    _notify_district(app, "returned", _("returned for correction"), reason)
    return app


@transaction.atomic
def reject(actor, application, *, expected_version: int | None, reason: str):
    app = _locked(application)
    _decide_scope(actor, app)
    check_version(app, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise IncentiveError(_("Reason: say why it is rejected."), "reason")
    app.reason = reason
    _move(actor, app, S.REJECTED, "rejected", reason)
    _notify_district(app, "rejected", _("rejected"), reason)
    return app


@transaction.atomic
def withdraw(actor, application, *, expected_version: int | None, reason: str = ""):
    app = _locked(application)
    _require(actor, "withdraw", app)
    check_version(app, expected_version)
    _move(actor, app, S.WITHDRAWN, "withdrawn", (reason or "").strip())
    return app


def approval_problem(app: Application, amount: Decimal) -> str | None:
    """Why `amount` cannot be approved for `app` (cap, rule, request, budget), or None."""
    scheme = app.scheme
    if amount <= 0:
        return _("Amount approved: must be more than 0; reject the application instead")
    if scheme.cap is not None and amount > scheme.cap:
        return _("Amount approved: %(amount)s 万元 is above the scheme's cap of %(cap)s 万元") % {
            "amount": _fmt(amount),
            "cap": _fmt(scheme.cap),
        }
    if app.computed is None:
        return _("Base amount: the rule cannot compute the amount without it")
    if amount > app.computed:
        return _(
            "Amount approved: %(amount)s 万元 is above the %(computed)s 万元 the rule gives"
        ) % {"amount": _fmt(amount), "computed": _fmt(app.computed)}
    if amount > app.requested:
        return _("Amount approved: %(amount)s 万元 is above the %(requested)s 万元 requested") % {
            "amount": _fmt(amount),
            "requested": _fmt(app.requested),
        }
    budget = Budget.objects.select_for_update().filter(scheme=scheme, year=app.year).first()
    if budget is None:
        return _("Amount approved: %(scheme)s has no budget for %(year)d") % {
            "scheme": scheme.name,
            "year": app.year,
        }
    committed = Application.objects.filter(
        scheme=scheme, year=app.year, state__in=COMMITTED
    ).exclude(pk=app.pk).aggregate(s=Sum("approved"))["s"] or Decimal(0)
    left = budget.amount - committed
    if amount > left:
        return _(
            "Amount approved: %(amount)s 万元 would exceed the %(year)d budget of %(scheme)s; "
            "%(left)s 万元 of %(budget)s 万元 remain"
        ) % {
            "amount": _fmt(amount),
            "year": app.year,
            "scheme": scheme.name,
            "left": _fmt(left),
            "budget": _fmt(budget.amount),
        }
    return None


@transaction.atomic
def approve(actor, application, *, expected_version: int | None, amount, comment: str = ""):
    """The office's approval of an amount, within the rule, the cap and the budget."""
    app = _locked(application)
    if actor is not None and not (actor.is_office and allows(actor, "approve", app)):
        raise PermissionDenied(_("Only the leading-group office approves awards and subsidies."))
    check_version(app, expected_version)
    if app.state != S.REVIEWED:
        raise IncentiveError(
            _("Only an application reviewed by the managing unit can be approved; this one is %s.")
            % app.get_state_display()
        )
    amount = clean_amount(amount, "amount", _("Amount approved"))
    problem = approval_problem(app, amount)
    if problem:
        raise IncentiveError(problem, "amount")
    app.approved = amount
    _move(actor, app, S.APPROVED, "approved", comment, approved=[None, amount])
    _notify_district(app, "approved", _("approved"), _("%s 万元 approved") % _fmt(amount))
    return app


@transaction.atomic
def record_payment(
    actor,
    application,
    *,
    expected_version: int | None,
    paid_on,
    amount,
    voucher: str,
    is_demo: bool = False,
) -> Payment:
    """A payment of an approved application: in full, or in parts up to the approved amount."""
    app = _locked(application)
    if actor is not None and not (actor.is_office and allows(actor, "pay", app)):
        raise PermissionDenied(_("Only the leading-group office records payments."))
    check_version(app, expected_version)
    if app.state not in (S.APPROVED, S.PARTLY_PAID):
        raise IncentiveError(
            _("Only an approved application is paid; this one is %s.") % app.get_state_display()
        )
    amount = clean_amount(amount, "amount", _("Payment amount"))
    if amount <= 0:
        raise IncentiveError(_("Payment amount: must be more than 0"), "amount")
    if amount > app.outstanding:
        raise IncentiveError(
            _(
                "Payment amount: %(amount)s 万元 is above what remains to be paid "
                "(%(left)s 万元 of %(approved)s 万元 approved)"
            )
            % {
                "amount": _fmt(amount),
                "left": _fmt(app.outstanding),
                "approved": _fmt(app.approved),
            },
            "amount",
        )
    if isinstance(paid_on, str):
        try:
            paid_on = dt.date.fromisoformat(paid_on.strip())
        except ValueError:
            raise IncentiveError(_("Paid on: give the date as 2019-06-30"), "paid_on") from None
    if paid_on is None:
        raise IncentiveError(_("Paid on: give the date as 2019-06-30"), "paid_on")
    if paid_on > timezone.localdate():
        raise IncentiveError(
            _("Paid on: %(day)s is after today; record a payment once it is made")
            % {"day": paid_on.isoformat()},
            "paid_on",
        )
    if paid_on.year < app.year:
        raise IncentiveError(
            _("Paid on: %(day)s is before the application's year %(year)s")
            % {"day": paid_on.isoformat(), "year": app.year},
            "paid_on",
        )
    voucher = (voucher or "").strip()
    if not voucher:
        raise IncentiveError(_("Voucher number: enter the voucher number"), "voucher")
    if Payment.objects.filter(voucher=voucher).exists():
        raise IncentiveError(
            _("Voucher number: %s is already recorded for another payment") % voucher, "voucher"
        )
    with unique_guard(IncentiveError):  # the same voucher recorded at the same moment
        payment = Payment.objects.create(
            application=app,
            paid_on=paid_on,
            amount=amount,
            voucher=voucher,
            is_demo=is_demo,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    app.paid += amount
    new = S.PAID if app.paid >= app.approved else S.PARTLY_PAID
    if new == app.state:  # a further part payment: no state change, still a new version
        app.version += 1
        app.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        app.save()
        record(
            actor,
            "incentives.application.paid_part",
            app,
            changes={"paid": [app.paid - amount, app.paid]},
            org_unit=app.district,
        )
    else:
        _move(
            actor,
            app,
            new,
            "paid" if new == S.PAID else "paid_part",
            voucher,
            paid=[app.paid - amount, app.paid],
        )
    record(
        actor,
        "incentives.payment.recorded",
        payment,
        changes=snapshot(payment, ["application_id", "paid_on", "amount", "voucher"]),
        org_unit=app.district,
    )
    return payment


# --- one entry point for the views ------------------------------------------------------------

ACTIONS = {
    "submit": lambda actor, app, v, data: submit(
        actor, app, expected_version=v, comment=data.get("comment", "")
    ),
    "review": lambda actor, app, v, data: review(
        actor, app, expected_version=v, comment=data.get("comment", "")
    ),
    "return": lambda actor, app, v, data: return_application(
        actor, app, expected_version=v, reason=data.get("reason", "")
    ),
    "reject": lambda actor, app, v, data: reject(
        actor, app, expected_version=v, reason=data.get("reason", "")
    ),
    "withdraw": lambda actor, app, v, data: withdraw(
        actor, app, expected_version=v, reason=data.get("reason", "")
    ),
    "approve": lambda actor, app, v, data: approve(
        actor, app, expected_version=v, amount=data.get("amount"), comment=data.get("comment", "")
    ),
}


def available_actions(user, app: Application) -> list[str]:
    """The actions `user` may take on `app` now, for the page's buttons."""
    out = []
    if app.state in EDITABLE and allows(user, "submit", app):
        out += ["edit", "submit", "withdraw"]
    if app.state == S.SUBMITTED and allows(user, "review", app):
        out += ["review", "return", "reject"]
    if app.state == S.REVIEWED and user.is_office:
        out += ["approve", "return", "reject"]
    if app.state in (S.APPROVED, S.PARTLY_PAID) and user.is_office:
        out.append("pay")
    return out


# --- helpers --------------------------------------------------------------------------------


def _fmt(value: Decimal | None) -> str:
    """500 · 1,234.5: an amount in 万元 as a message shows it."""
    if value is None:
        return "–"
    return format(value.normalize(), ",f")


def _unit_users(unit):
    from ducha.accounts.models import User

    people = User.objects.filter(org_unit=unit, is_active=True)
    return list(people.select_related("notification_preference"))


def _url(app: Application) -> str:
    return notifications.link(f"/incentives/applications/{app.pk}/")


def _notify_district(app: Application, event: str, what: str, detail: str) -> None:
    _notify(
        app,
        event,
        app.district,
        _("[ducha] Application %(number)s %(what)s") % {"number": app.number, "what": what},
        f"{app}: {detail}",
    )


def _notify(app: Application, event: str, unit, subject: str, body: str) -> None:
    """Tell a unit's people and group robots of one step of an application."""
    notifications.notify(
        f"incentives.{event}",
        f"incentives.{event}:{app.pk}:{app.version}",
        subject=subject,
        body=body,
        url=_url(app),
        users=_unit_users(unit),
        units=[unit],
    )
