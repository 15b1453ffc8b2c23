"""Figures officials published (news conferences, press reports): context, never values.

A `PublishedFigure` records what was said, by whom, when and where it was reported, with the
original wording of its comparator (超, 余, 大概) and a 口径 note. A `FigureLink` relates it to
the plan indicators it speaks about, saying whether its 口径 is the indicator's or differs
(智能科技产业收入 is not the plan's 智能科技产业规模). Nothing reads these as an indicator's
value: they are shown beside it, on the cockpit and the indicator pages.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet
from ducha.datavalues.models import WEB_LINK


class Comparator(models.TextChoices):
    EQUAL = "=", _("as stated")
    OVER = ">", _("more than")
    ABOUT = "≈", _("about")


class PublishedFigure(models.Model):
    metric = models.CharField(_("what was measured"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=20)
    refers_to = models.CharField(_("refers to"), max_length=40, help_text=_("2020, 2020H1 …"))
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    wording = models.CharField(_("original wording"), max_length=10, blank=True)
    stated_by = models.CharField(_("stated by"), max_length=200)
    published_on = models.DateField(_("published on"))
    source_url = models.CharField(_("source link"), max_length=500, validators=[WEB_LINK])
    note = models.TextField(_("basis (口径) and remarks"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["-published_on", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "refers_to", "published_on"], name="one_figure_per_statement"
            )
        ]

    def __str__(self):
        return f"{self.metric} {self.display}"

    @property
    def number(self) -> str:
        return format(self.value.normalize(), "f")

    @property
    def display(self) -> str:
        """As it was said: 超2000亿元, 170余项, 大概23.6%, 1847亿元."""
        if self.wording == "余":
            return f"{self.number}余{self.unit}"
        if self.wording:
            return f"{self.wording}{self.number}{self.unit}"
        sign = {Comparator.OVER: "超", Comparator.ABOUT: "约"}.get(self.comparator, "")
        return f"{sign}{self.number}{self.unit}"


class Relation(models.TextChoices):
    SAME = "same", _("same basis")
    DIFFERENT = "different", _("related, different basis")


class FigureLink(models.Model):
    figure = models.ForeignKey(PublishedFigure, on_delete=models.CASCADE, related_name="links")
    # A plan file that drops the indicator drops its links: they are derived from the
    # relations file, and loading it again says so if an indicator is missing.
    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="published_figures"
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    note = models.CharField(_("why"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("figure and indicator")
        verbose_name_plural = _("figures and indicators")
        constraints = [
            models.UniqueConstraint(fields=["figure", "indicator"], name="one_link_per_indicator")
        ]

    def __str__(self):
        return f"{self.figure.metric} → {self.indicator.code}"
