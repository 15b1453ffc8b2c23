"""The admin face of every register: lists scoped by policy, writes through services."""

from django.contrib import admin

from ducha.registers.services import delete_record, save_record


class RegisterAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def get_queryset(self, request):
        return self.model.objects.for_user(request.user, "view")

    def save_model(self, request, obj, form, change):
        save_record(request.user, obj, list(form.changed_data))

    def delete_model(self, request, obj):
        delete_record(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            delete_record(request.user, obj)
