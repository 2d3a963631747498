from django.contrib import admin

from .models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "city", "created"]
    list_filter = ["role", "city"]
    search_fields = ["user__username", "user__email", "city__code", "city__name_en"]
    autocomplete_fields = ["user", "city"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued in code or by the API pages (the plain text is shown once)."""

    list_display = ["name", "user", "prefix", "can_write", "created", "last_used", "expires",
                    "revoked"]
    list_filter = ["can_write"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "digest", "created", "last_used"]

    def has_add_permission(self, request):
        return False
