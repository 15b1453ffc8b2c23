from django.contrib import admin

from ducha.registers.admin import RegisterAdmin
from ducha.technologies.models import KeyTechnology


@admin.register(KeyTechnology)
class KeyTechnologyAdmin(RegisterAdmin):
    list_display = ["name", "field", "holder_name", "district", "achieved_on", "is_demo"]
    list_filter = ["field", "kind", "district", "is_demo"]
    search_fields = ["name", "holder_name"]
    list_select_related = ["district"]
    raw_id_fields = ["holder"]
