"""The Django admin for plans: a back office view of what `ducha loadplan` wrote.

The plan file is the source of truth for structure and targets, so editing here is for
corrections an operator must make at once (each is audited); a later `loadplan` of the file
puts the file's version back. State changes go through the plan page, which checks the
transitions.
"""

from django.contrib import admin

from ducha.core.admin import AuditedAdmin
from ducha.plans.models import Indicator, Milestone, Plan, PlanNode


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("code", "name", "unit", "target_min", "target_max", "deadline", "lead_unit")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("code", "title", "issuer", "period_start", "period_end", "state")
    list_filter = ("state",)
    search_fields = ("code", "title", "short_title", "issuer")
    readonly_fields = ("state", "created_at", "updated_at")
    inlines = [IndicatorInline]


@admin.register(PlanNode)
class PlanNodeAdmin(AuditedAdmin):
    list_display = ("key", "__str__", "plan", "depth", "position")
    list_filter = ("plan", "depth")
    search_fields = ("key", "title", "text")
    list_select_related = ("plan",)
    raw_id_fields = ("parent",)
    ordering = ("plan", "position")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "unit",
        "comparator",
        "target_min",
        "target_max",
        "deadline",
        "lead_unit",
        "frequency",
        "source",
    )
    list_filter = ("plan", "kind", "direction", "frequency", "source", "aggregation")
    search_fields = ("code", "name", "sentence")
    list_select_related = ("plan", "lead_unit")
    autocomplete_fields = ("lead_unit", "supporting_units")
    raw_id_fields = ("node",)


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdmin):
    list_display = ("code", "title", "due", "lead_unit", "plan")
    list_filter = ("plan",)
    search_fields = ("code", "title", "sentence")
    list_select_related = ("plan", "lead_unit")
    autocomplete_fields = ("lead_unit", "supporting_units")
    raw_id_fields = ("node",)
