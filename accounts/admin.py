from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.admin import AdministratorModelAdmin

from . import services
from .models import ApiToken, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """An administrator sets a password: the staff member's sessions end on the server."""

    def save(self, commit=True):
        return services.staff_password_change(
            actor=None, user=self.user, password=self.cleaned_data["password1"], check_password=False
        )


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
    change_password_form = StaffPasswordChangeForm
    change_form_template = "admin/accounts/user/change_form.html"

    def save_model(self, request, obj, form, change):
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivated:
            services.staff_deactivate(actor=request.user, user=obj)

    def get_urls(self):
        urls = [
            path(
                "<int:user_id>/end-sessions/",
                self.admin_site.admin_view(self.end_sessions_view),
                name="accounts_user_end_sessions",
            )
        ]
        return urls + super().get_urls()

    def end_sessions_view(self, request, user_id):
        return _end_sessions(self, request, user_id)


def _end_sessions(model_admin, request, user_id):
    if request.method != "POST" or not model_admin.has_change_permission(request):
        raise PermissionDenied
    user = get_object_or_404(model_admin.get_queryset(request), pk=user_id)
    ended, revoked = services.staff_sessions_end(actor=request.user, user=user)
    model_admin.message_user(
        request,
        gettext("%(user)s was signed out everywhere: %(sessions)d sessions ended, %(tokens)d API tokens revoked.")
        % {"user": user.username, "sessions": ended, "tokens": revoked},
        messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))


@admin.register(ApiToken)
class ApiTokenAdmin(AdministratorModelAdmin):
    organisation_path = "user__organisation"
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "user", "name", "created_at", "expires_at")
    fields = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at")

    def has_add_permission(self, request):
        return False  # tokens are issued on the "API tokens" page or by `manage.py issue_token`, shown once
