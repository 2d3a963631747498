"""The groups app in the Django admin (secretariat admins)."""

from django.contrib import admin

from .models import DiscoveryJob, MonitoredGroup


@admin.register(DiscoveryJob)
class DiscoveryJobAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "owner", "city", "outcome", "status", "progress",
                    "created", "finished")
    list_filter = ("status", "city")
    readonly_fields = ("folder", "columns", "status", "progress", "stage", "error", "worker",
                       "result_dir", "created", "started", "finished")


@admin.register(MonitoredGroup)
class MonitoredGroupAdmin(admin.ModelAdmin):
    list_display = ("city", "definition", "label", "source_job", "created_by", "created")
    list_filter = ("city",)
    search_fields = ("definition", "label")
