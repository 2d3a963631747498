from django.contrib import admin

from .models import FrameworkVersion


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    """Versions are immutable: import new ones with the import page or the command."""

    list_display = ["code", "version", "label_en", "imported_by", "imported_at", "sha256"]
    search_fields = ["code", "version", "label_en", "label_ko"]
    readonly_fields = ["code", "version", "label_en", "label_ko", "yaml", "sha256", "source",
                       "imported_by", "imported_at"]

    def has_add_permission(self, request):
        return False
