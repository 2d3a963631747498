"""The groups app in the Django admin (secretariat admins)."""

from django.contrib import admin

from .models import DiscoveryJob, MonitoredGroup


@admin.register(DiscoveryJob)
class DiscoveryJobAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "source_table", "owner", "city", "outcome", "wave",
                    "status", "progress", "created", "finished")
    list_filter = ("status", "city")
    readonly_fields = ("folder", "source_table", "columns", "status", "progress", "stage",
                       "error", "worker", "result_dir", "created", "started", "finished")


@admin.register(MonitoredGroup)
class MonitoredGroupAdmin(admin.ModelAdmin):
    list_display = ("city", "definition", "label", "discovered_as", "source_job", "created_by",
                    "created")
    list_filter = ("city",)
    search_fields = ("definition", "label", "discovered_as")
