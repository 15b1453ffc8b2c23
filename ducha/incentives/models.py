"""Awards and subsidies (六(三) 奖补): the schemes the plan names, their yearly budgets, the
applications enterprises make (or projects, for project-based schemes), and the payments.

Money is in 万元 with four decimals (one yuan). Nothing is deleted: an application that is not
wanted is withdrawn, rejected or returned; every change is in the audit log.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.core.policies import RestrictedQuerySet
from ducha.engine import incentives as rules

MONEY = {"max_digits": 16, "decimal_places": 4}


class SchemeKind(models.TextChoices):
    AWARD = "award", _("Award")
    SUBSIDY = "subsidy", _("Subsidy")
    FUNDING = "funding", _("Funding support")
    INTEREST = "interest", _("Loan interest subsidy")


class AmountKind(models.TextChoices):
    FIXED = rules.FIXED, _("Fixed amount")
    SHARE = rules.SHARE, _("Share of a base amount")


class Eligibility(models.TextChoices):
    """What the platform can check about an applicant from the registers."""

    NONE = "", _("Not checked here")
    LISTING_500 = "listing500", _("First 500 list entry (enterprise register)")
    LEADING_TIER = "leading_tier", _("Leading or dragon-head tier (enterprise register)")
    PROJECT = "project", _("A project in the project register")


class Scheme(models.Model):
    """One award or subsidy rule: 龙头企业落户奖励, 500强奖励, 智能化改造补助 …"""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    plan_node = models.ForeignKey(
        "plans.PlanNode",
        verbose_name=_("plan section implemented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a plan file that drops the section keeps the scheme
        related_name="schemes",
    )
    managing_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("managing unit"),
        on_delete=models.PROTECT,
        related_name="managed_schemes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    rule_text = models.TextField(_("rule"), blank=True)
    amount_kind = models.CharField(_("amount rule"), max_length=10, choices=AmountKind.choices)
    fixed_amount = models.DecimalField(_("fixed amount (10k yuan)"), null=True, blank=True, **MONEY)
    rate_percent = models.DecimalField(
        _("rate (percent of the base)"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    cap = models.DecimalField(_("cap (10k yuan)"), null=True, blank=True, **MONEY)
    base_label = models.CharField(
        _("base amount means"), max_length=100, blank=True, help_text=_("e.g. 改造投资额")
    )
    eligibility = models.CharField(
        _("checked eligibility"), max_length=20, choices=Eligibility.choices, blank=True
    )
    eligibility_note = models.TextField(_("eligibility"), blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("award or subsidy scheme")
        verbose_name_plural = _("award and subsidy schemes")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def rule(self) -> rules.AmountRule:
        return rules.AmountRule(
            kind=self.amount_kind,
            fixed=self.fixed_amount,
            rate_percent=self.rate_percent,
            cap=self.cap,
        )

    def active_in(self, year: int) -> bool:
        if self.active_from and self.active_from.year > year:
            return False
        return not (self.active_to and self.active_to.year < year)


class Budget(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (10k yuan)"), **MONEY)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["scheme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="one_budget_per_year")
        ]

    def __str__(self):
        return f"{self.scheme} {self.year}"


class AppState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
    REVIEWED = "reviewed", pgettext_lazy("application state", "Reviewed by the managing unit")
    RETURNED = "returned", pgettext_lazy("application state", "Returned")
    APPROVED = "approved", pgettext_lazy("application state", "Approved")
    PARTLY_PAID = "partly_paid", pgettext_lazy("application state", "Partly paid")
    PAID = "paid", pgettext_lazy("application state", "Paid")
    REJECTED = "rejected", pgettext_lazy("application state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")


S = AppState

# The workflow: each state and the states an action may move it to. Payments move an approved
# application to partly paid or paid (services.record_payment), never by hand.
APP_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.REVIEWED, S.RETURNED, S.REJECTED},
    S.REVIEWED: {S.APPROVED, S.RETURNED, S.REJECTED},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
    S.APPROVED: {S.PARTLY_PAID, S.PAID},
    S.PARTLY_PAID: {S.PAID},
    S.PAID: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}
EDITABLE = {S.DRAFT, S.RETURNED}
# States whose approved amount counts against the year's budget.
COMMITTED = {S.APPROVED, S.PARTLY_PAID, S.PAID}


class Application(models.Model):
    """An application (申请) for one scheme, one year, by an enterprise or for a project."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incentive_applications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incentive_applications",
    )
    district = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The applicant's district, taken from the enterprise or project."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    base_amount = models.DecimalField(_("base amount (10k yuan)"), null=True, blank=True, **MONEY)
    requested = models.DecimalField(_("amount requested (10k yuan)"), **MONEY)
    computed = models.DecimalField(
        _("amount by the rule (10k yuan)"), null=True, blank=True, **MONEY
    )
    approved = models.DecimalField(_("amount approved (10k yuan)"), null=True, blank=True, **MONEY)
    paid = models.DecimalField(_("amount paid (10k yuan)"), default=Decimal(0), **MONEY)
    state = models.CharField(_("state"), max_length=20, choices=AppState.choices, default=S.DRAFT)
    reason = models.TextField(_("reason given"), blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("award or subsidy application")
        verbose_name_plural = _("award and subsidy applications")
        ordering = ["-year", "scheme__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "enterprise", "year"],
                condition=Q(enterprise__isnull=False) & ~Q(state="withdrawn"),
                name="one_application_per_enterprise_year",
            ),
            models.UniqueConstraint(
                fields=["scheme", "project", "year"],
                condition=Q(project__isnull=False) & ~Q(state="withdrawn"),
                name="one_application_per_project_year",
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(project__isnull=False),
                name="application_has_applicant",
            ),
        ]
        indexes = [
            models.Index(fields=["scheme", "year", "state"]),
            models.Index(fields=["district", "year"]),
            models.Index(fields=["state", "year"]),
        ]

    def __str__(self):
        return f"{self.number} {self.applicant_name}"

    @property
    def number(self) -> str:
        return f"JB{self.year}-{self.pk:05d}" if self.pk else ""

    @property
    def applicant_name(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        return self.project.name if self.project_id else ""

    @property
    def outstanding(self) -> Decimal:
        return (self.approved or Decimal(0)) - self.paid


class Payment(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (10k yuan)"), **MONEY)
    voucher = models.CharField(_("voucher number"), max_length=60)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [models.UniqueConstraint(fields=["voucher"], name="one_payment_per_voucher")]

    def __str__(self):
        return f"{self.voucher} {self.amount}"
