from django.contrib import admin

from tandem.admin import AdministratorModelAdmin

from .models import Programme, Team, Topic


@admin.register(Programme)
class ProgrammeAdmin(AdministratorModelAdmin):
    list_display = ("name", "sharing_policy", "contact_interval_days")
    exclude = ("organisation",)


@admin.register(Team)
class TeamAdmin(AdministratorModelAdmin):
    organisation_path = "programme__organisation"
    list_display: tuple[str, ...] = ("name", "programme")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = Programme.objects.filter(organisation=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(TeamAdmin):
    list_display = ("code", "group", "name_en", "name_de", "active", "programme")
