"""The enterprise register (四): who they are, where, in which of the plan's industries, the
tiers they hold and when, their revenue and R&D spending by year, and their 500强 listings.

Money is kept in 万元, as enterprises report it; imports convert from the unit in the column
header and computed indicators convert to the indicator's unit.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.registers.models import RegisterRecord
from ducha.registers.taxonomy import Industry


class Tier(models.TextChoices):
    LEADER = "leader", _("Leading enterprise")
    DRAGON_HEAD = "dragon_head", _("Dragon-head enterprise")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    UNICORN = "unicorn", _("Unicorn enterprise")
    HIDDEN_CHAMPION = "hidden_champion", _("Hidden champion")
    SPECIALISED = "specialised", _("Specialised and innovative SME")
    INTL_BRAND = "intl_brand", _("International brand enterprise")


TIER_NAMES = {
    Tier.LEADER: ("领军企业", "领军"),
    Tier.DRAGON_HEAD: ("龙头企业", "龙头"),
    Tier.GAZELLE: ("瞪羚企业", "瞪羚"),
    Tier.UNICORN: ("独角兽企业", "独角兽"),
    Tier.HIDDEN_CHAMPION: ("隐形冠军", "隐形冠军企业", "单项冠军"),
    Tier.SPECIALISED: ("专精特新", "专精特新企业", "专精特新中小企业"),
    Tier.INTL_BRAND: ("国际化品牌企业", "国际化品牌", "“国际化”品牌企业"),
}


class Ranking(models.TextChoices):
    GLOBAL_500 = "global500", _("Fortune Global 500")
    CHINA_500 = "china500", _("China Top 500 Enterprises")
    PRIVATE_500 = "private500", _("China Top 500 Private Enterprises")
    MANUFACTURING_500 = "mfg500", _("China Top 500 Manufacturing Enterprises")
    SERVICES_500 = "services500", _("China Top 500 Service Enterprises")


RANKING_NAMES = {
    Ranking.GLOBAL_500: ("世界500强", "财富世界500强", "国际500强"),
    Ranking.CHINA_500: ("中国企业500强", "中国500强", "国内500强"),
    Ranking.PRIVATE_500: ("中国民营企业500强", "民营企业500强"),
    Ranking.MANUFACTURING_500: ("中国制造业企业500强", "制造业500强"),
    Ranking.SERVICES_500: ("中国服务业企业500强", "服务业500强"),
}


class Enterprise(RegisterRecord):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    district = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    main_industry = models.CharField(
        _("main industry"), max_length=20, choices=Industry.choices, blank=True
    )
    settled_on = models.DateField(_("settled in Tianjin on"), null=True, blank=True)
    exited_on = models.DateField(_("left or closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["main_industry", "district"]),
            models.Index(fields=["district", "name"]),
            models.Index(fields=["park"]),
        ]

    def __str__(self):
        return self.name


class EnterpriseIndustry(models.Model):
    """One of an enterprise's industries; the main one is also on the enterprise, and it is
    the one revenue is counted under, so industry scales never count a yuan twice."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="industries")
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)

    class Meta:
        verbose_name = _("enterprise industry")
        verbose_name_plural = _("enterprise industries")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "industry"], name="one_industry_once")
        ]
        indexes = [models.Index(fields=["industry", "enterprise"])]

    def __str__(self):
        return self.get_industry_display()


class EnterpriseTier(models.Model):
    """A tier held from `since` until `until` (empty: still held)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="tiers")
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enterprise tier")
        verbose_name_plural = _("enterprise tiers")
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "tier", "since"], name="one_tier_start")
        ]
        indexes = [models.Index(fields=["tier", "since"])]

    def __str__(self):
        return f"{self.get_tier_display()} {self.since}–{self.until or ''}"


class EnterpriseYear(models.Model):
    """An enterprise's figures for one year, in 万元."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = models.DecimalField(
        _("revenue (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_spending = models.DecimalField(
        _("R&D spending (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("enterprise year")
        verbose_name_plural = _("enterprise years")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_figure_per_year")
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self):
        return f"{self.year}"


class RankingListing(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="rankings")
    ranking = models.CharField(_("ranking"), max_length=20, choices=Ranking.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("500 list entry")
        verbose_name_plural = _("500 list entries")
        ordering = ["year", "ranking"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "ranking", "year"], name="one_listing_per_year"
            )
        ]

    def __str__(self):
        return f"{self.get_ranking_display()} {self.year}"
