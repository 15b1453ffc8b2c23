from django.contrib import admin

from ducha.platforms.models import Platform
from ducha.registers.admin import RegisterAdmin


@admin.register(Platform)
class PlatformAdmin(RegisterAdmin):
    list_display = ["name", "level", "type", "district", "established_on", "is_demo"]
    list_filter = ["level", "type", "district", "is_demo"]
    search_fields = ["name", "holder_name"]
    list_select_related = ["district"]
    raw_id_fields = ["holder"]
