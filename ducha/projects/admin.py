from django.contrib import admin

from ducha.projects.models import Project
from ducha.registers.admin import RegisterAdmin


@admin.register(Project)
class ProjectAdmin(RegisterAdmin):
    list_display = ["code", "name", "type", "stage", "district", "is_demo"]
    list_filter = ["type", "stage", "district", "is_demo"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]
    raw_id_fields = ["enterprise", "domain"]
