from django.contrib import admin

from programmes.models import Programme
from tandem.admin import AdministratorModelAdmin

from .models import AssessmentSettings


@admin.register(AssessmentSettings)
class AssessmentSettingsAdmin(AdministratorModelAdmin):
    """A programme's assessment configuration: no case content."""

    organisation_path = "programme__organisation"
    list_display = ("programme", "instrument_key", "reassess_high_months", "intensity_high")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = Programme.objects.filter(organisation=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
