from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.classification import DataClass


class Setting(models.TextChoices):
    DETENTION = "detention", _("Detention (pre-trial)")
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation")
    COMMUNITY = "community", _("Community")


class Ideology(models.TextChoices):
    RIGHT_WING = "right_wing", _("Right-wing extremism")
    ISLAMIST = "islamist", _("Islamist extremism")
    LEFT_WING = "left_wing", _("Left-wing extremism")
    CONSPIRACY = "conspiracy", _("Conspiracy movements")
    MIXED = "mixed", _("Mixed or unclear")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """One organisation in a deployment; organisations never see each other's cases."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(unique=True)

    data_classification = {"id": DataClass.TECHNICAL, "name": DataClass.OPERATIONAL, "slug": DataClass.OPERATIONAL}

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    ideologies = models.JSONField(_("ideologies served"), default=list, blank=True)
    settings_served = models.JSONField(_("settings served"), default=list, blank=True)
    voluntary = models.BooleanField(_("accepts voluntary participants"), default=True)
    mandated = models.BooleanField(_("accepts mandated participants"), default=False)
    sharing_policy = models.CharField(_("sharing policy"), max_length=40, default="independent-ngo")
    contact_interval_days = models.PositiveSmallIntegerField(
        _("expected days between contacts"),
        default=14,
        help_text=_("Active cases without a contact for longer appear as due on the caseload."),
    )
    retention_closed_months = models.PositiveSmallIntegerField(
        _("keep closed cases for (months)"),
        default=60,
        help_text=_("After the last case of a client has been closed this long, the client's data is erased."),
    )
    retention_not_taken_up_months = models.PositiveSmallIntegerField(
        _("keep declined or not accepted signals for (months)"),
        default=12,
        help_text=_("Cases closed because the client declined or was not accepted are erased after this time."),
    )

    data_classification = {
        "id": DataClass.TECHNICAL,
        "organisation": DataClass.OPERATIONAL,
        "name": DataClass.OPERATIONAL,
        "target_group": DataClass.OPERATIONAL,
        "ideologies": DataClass.OPERATIONAL,
        "settings_served": DataClass.OPERATIONAL,
        "voluntary": DataClass.OPERATIONAL,
        "mandated": DataClass.OPERATIONAL,
        "sharing_policy": DataClass.OPERATIONAL,
        "contact_interval_days": DataClass.OPERATIONAL,
        "retention_closed_months": DataClass.OPERATIONAL,
        "retention_not_taken_up_months": DataClass.OPERATIONAL,
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="programme_unique_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    data_classification = {"id": DataClass.TECHNICAL, "programme": DataClass.OPERATIONAL, "name": DataClass.OPERATIONAL}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """The programme's taxonomy of contact topics."""

    class Group(models.TextChoices):
        IDEOLOGICAL = "ideological", _("Ideological work")
        SOCIAL = "social", _("Social stabilisation")
        SECURITY = "security", _("Safety and security")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="topics")
    code = models.SlugField(max_length=40)
    group = models.CharField(max_length=20, choices=Group.choices)
    name_en = models.CharField(max_length=100)
    name_de = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    data_classification = {
        "id": DataClass.TECHNICAL,
        "programme": DataClass.OPERATIONAL,
        "code": DataClass.OPERATIONAL,
        "group": DataClass.OPERATIONAL,
        "name_en": DataClass.OPERATIONAL,
        "name_de": DataClass.OPERATIONAL,
        "active": DataClass.OPERATIONAL,
    }

    class Meta:
        ordering = ["group", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="topic_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_de if (get_language() or "en").startswith("de") else self.name_en


DEFAULT_TOPICS: list[tuple[str, str, str, str]] = [
    ("ideology", Topic.Group.IDEOLOGICAL, "Ideology and beliefs", "Ideologie und Überzeugungen"),
    ("biography", Topic.Group.IDEOLOGICAL, "Biography and narrative work", "Biografie- und Narrativarbeit"),
    ("religion", Topic.Group.IDEOLOGICAL, "Religious counselling", "Religiöse Beratung"),
    ("violence", Topic.Group.IDEOLOGICAL, "Violence and the offence", "Gewalt und Tat"),
    ("scene", Topic.Group.IDEOLOGICAL, "Ties to the scene", "Bindungen an die Szene"),
    ("civic", Topic.Group.IDEOLOGICAL, "Civic education", "Politische Bildung"),
    ("housing", Topic.Group.SOCIAL, "Housing", "Wohnen"),
    ("work", Topic.Group.SOCIAL, "Work and training", "Arbeit und Ausbildung"),
    ("welfare", Topic.Group.SOCIAL, "Welfare and finances", "Sozialleistungen und Finanzen"),
    ("debts", Topic.Group.SOCIAL, "Debts", "Schulden"),
    ("documents", Topic.Group.SOCIAL, "Documents and authorities", "Dokumente und Behörden"),
    ("therapy", Topic.Group.SOCIAL, "Therapy and health", "Therapie und Gesundheit"),
    ("family", Topic.Group.SOCIAL, "Family and relationships", "Familie und Beziehungen"),
    ("leisure", Topic.Group.SOCIAL, "Leisure and daily structure", "Freizeit und Tagesstruktur"),
    ("safety", Topic.Group.SECURITY, "Personal safety", "Persönliche Sicherheit"),
    ("legal", Topic.Group.OTHER, "Legal matters and conditions", "Rechtliches und Auflagen"),
]
