"""Practices in the Django admin (read the versions; edit through the site's workflow)."""

from django.contrib import admin

from .models import PracticeRecord, PracticeVersion
from .services import save_version


class VersionInline(admin.TabularInline):
    model = PracticeVersion
    fields = ("version", "status", "action", "author", "created_at", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PracticeRecord)
class PracticeRecordAdmin(admin.ModelAdmin):
    list_display = ("code", "city", "status", "version", "updated_at")
    list_filter = ("status", "city")
    search_fields = ("code",)
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        # validated, versioned and indexed like every other change
        save_version(obj, request.user, "admin edit" if change else "create")
