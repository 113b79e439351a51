from django.db import migrations

from categories.definitions import CATEGORIES


def seed(apps, schema_editor):
    Category = apps.get_model("categories", "Category")
    for entry in CATEGORIES:
        Category.objects.update_or_create(
            slug=entry["slug"], defaults={k: v for k, v in entry.items() if k != "slug"}
        )


class Migration(migrations.Migration):
    dependencies = [("categories", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
