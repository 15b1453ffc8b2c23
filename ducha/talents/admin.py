from django.contrib import admin

from ducha.registers.admin import RegisterAdmin
from ducha.talents.models import Talent, Team


@admin.register(Talent)
class TalentAdmin(RegisterAdmin):
    list_display = ["name", "category", "district", "introduced_on", "is_demo"]
    list_filter = ["category", "field", "district", "is_demo"]
    search_fields = ["name"]  # not the ID number: personal data is not a search key here
    list_select_related = ["district"]
    raw_id_fields = ["employer", "team"]

    def get_exclude(self, request, obj=None):
        # personal data only for those allowed to see it (the office)
        from ducha.core.policies import allows

        return [] if allows(request.user, "view_personal", Talent) else list(Talent.PERSONAL_FIELDS)


@admin.register(Team)
class TeamAdmin(RegisterAdmin):
    list_display = ["name", "level", "leader_name", "district", "introduced_on", "is_demo"]
    list_filter = ["level", "field", "district", "is_demo"]
    search_fields = ["name", "leader_name"]
    list_select_related = ["district"]
    raw_id_fields = ["host"]
