from django.conf import global_settings
from django.db import migrations


def seed(apps, schema_editor):
    Language = apps.get_model("members", "Language")
    # Django's list, base languages only (no regional variants such as en-au).
    Language.objects.bulk_create(
        [Language(code=code, name=name) for code, name in global_settings.LANGUAGES if "-" not in code],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
