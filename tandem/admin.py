"""The account administration site: for administrators, who manage accounts and see no case content.

No model holding case content is registered here; a test keeps it that way.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TandemAdminSite(admin.AdminSite):
    site_header = _("Tandem administration")
    site_title = _("Tandem administration")
    index_title = _("Accounts and configuration")

    def login(self, request, extra_context=None):
        """One sign-in for the whole site: password, lock-out and second factor (accounts.views)."""
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied
        from django.urls import reverse

        if request.user.is_authenticated:
            raise PermissionDenied  # signed in, but not an administrator
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and getattr(user, "has_role", None)
            and user.has_role("administrator")
        )


class TandemAdminConfig(AdminConfig):
    default_site = "tandem.admin.TandemAdminSite"


class AdministratorModelAdmin(admin.ModelAdmin):
    """Administrators of an organisation manage that organisation's rows; nothing is deleted here."""

    organisation_path = "organisation"

    def _is_admin(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        # New rows of organisation-owned models belong to the administrator's own organisation.
        if not change and self.organisation_path == "organisation":
            obj.organisation_id = request.user.organisation_id
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.organisation_path:
            qs = qs.filter(**{self.organisation_path: request.user.organisation_id})
        return qs
