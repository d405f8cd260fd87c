"""Every existing programme starts with the default aftercare rhythm (new programmes get it on first use)."""

from django.db import migrations

DEFAULT_PHASES = [
    ("intensive", 0, 3, 2, 7),
    ("high", 3, 12, 1, 7),
    ("tapering", 12, 18, 1, 14),
    ("tapering", 18, 24, 1, 30),
    ("on_request", 24, None, 0, 30),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    AftercarePhase = apps.get_model("aftercare", "AftercarePhase")
    for programme in Programme.objects.all():
        if not AftercarePhase.objects.filter(programme=programme).exists():
            AftercarePhase.objects.bulk_create(
                [
                    AftercarePhase(
                        programme=programme, kind=kind, starts_month=start, ends_month=end, contacts=n, period_days=days
                    )
                    for kind, start, end, n, days in DEFAULT_PHASES
                ]
            )


class Migration(migrations.Migration):
    dependencies = [("aftercare", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
