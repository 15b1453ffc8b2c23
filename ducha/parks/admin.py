from django.contrib import admin

from ducha.parks.models import Park
from ducha.registers.admin import RegisterAdmin


@admin.register(Park)
class ParkAdmin(RegisterAdmin):
    list_display = ["name", "code", "district", "zone", "designation"]
    list_filter = ["district"]
    search_fields = ["name", "code", "short_name"]
