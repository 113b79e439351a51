from django.db import migrations, models
from django.db.models import F


def fill_occurrence_start(apps, schema_editor):
    """Series sessions made so far: their start is the best record of their occurrence."""
    CoachingSession = apps.get_model("coaching", "CoachingSession")
    CoachingSession.objects.filter(series__isnull=False, occurrence_start__isnull=True).update(
        occurrence_start=F("start")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_session_fund_call"),
    ]

    operations = [
        migrations.AddField(
            model_name="coachingsession",
            name="occurrence_start",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="original start"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="coachingsession",
            name="one_session_per_series_start",
        ),
        migrations.AddConstraint(
            model_name="coachingsession",
            constraint=models.UniqueConstraint(
                condition=models.Q(("series__isnull", False)),
                fields=("series", "occurrence_start"),
                name="one_session_per_series_occurrence",
            ),
        ),
        # After the constraints change, so the update queues no work for a later ALTER TABLE.
        migrations.RunPython(fill_occurrence_start, migrations.RunPython.noop),
    ]
