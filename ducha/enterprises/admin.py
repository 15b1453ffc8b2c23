from django.contrib import admin

from ducha.enterprises.models import (
    Enterprise,
    EnterpriseIndustry,
    EnterpriseTier,
    EnterpriseYear,
    RankingListing,
)
from ducha.registers.admin import RegisterAdmin


class IndustryInline(admin.TabularInline):
    model = EnterpriseIndustry
    extra = 0


class TierInline(admin.TabularInline):
    model = EnterpriseTier
    extra = 0


class YearInline(admin.TabularInline):
    model = EnterpriseYear
    extra = 0


class RankingInline(admin.TabularInline):
    model = RankingListing
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(RegisterAdmin):
    list_display = ["name", "credit_code", "district", "park", "main_industry", "is_demo"]
    list_filter = ["main_industry", "district", "park", "is_demo"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["district", "park"]
    raw_id_fields = ["park"]
    inlines = [IndustryInline, TierInline, YearInline, RankingInline]
