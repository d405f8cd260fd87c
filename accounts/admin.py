from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from tandem.admin import AdministratorModelAdmin

from .models import ApiToken, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(User)
class StaffAdmin(AdministratorModelAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    inlines = [RoleGrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AdministratorModelAdmin):
    organisation_path = "user__organisation"
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "user", "name", "created_at", "expires_at")
    fields = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at")

    def has_add_permission(self, request):
        return False  # tokens are issued by `manage.py issue_token`, shown once
