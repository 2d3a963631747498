from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .actor import acting_as
from .models import AuditEntry, Comment, Cycle, Submission, Value
from .services import publish_cycle


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin are audited with the admin as the actor."""

    def save_model(self, request, obj, form, change):
        with acting_as(request.user):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with acting_as(request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with acting_as(request.user):
            super().delete_queryset(request, queryset)


@admin.register(Cycle)
class CycleAdmin(AuditedAdmin):
    list_display = ["name", "name_ko", "year", "framework_version", "status", "opens_on",
                    "closes_on"]
    list_filter = ["status", "year"]
    search_fields = ["name", "name_ko"]
    actions = ["publish"]

    @admin.action(description=_("Publish the cycle and its approved submissions"))
    def publish(self, request, queryset):
        for cycle in queryset:
            count = publish_cycle(cycle, request.user)
            self.message_user(request, f"{cycle}: {count}", messages.SUCCESS)


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(AuditedAdmin):
    list_display = ["city", "cycle", "status", "version", "updated_at", "submitted_by"]
    list_filter = ["status", "cycle"]
    search_fields = ["city__code", "city__name_en"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [CommentInline]


@admin.register(Value)
class ValueAdmin(AuditedAdmin):
    list_display = ["submission", "indicator", "group", "value_number", "flag", "updated_at"]
    list_filter = ["submission__cycle", "flag"]
    search_fields = ["indicator", "group", "submission__city__code"]
    readonly_fields = ["version", "updated_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["submission", "indicator", "author", "created"]
    search_fields = ["text", "indicator"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only, even for admins."""

    list_display = ["at", "actor", "action", "model", "object_id", "field"]
    list_filter = ["action", "model"]
    search_fields = ["object_id", "field", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
