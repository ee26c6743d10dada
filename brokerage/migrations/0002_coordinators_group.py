from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_coordinators_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the group can be given them in the same migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from brokerage.roles import coordinators_group_sync

    coordinators_group_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_coordinators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Coordinators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0001_initial"),
        ("programmes", "0001_initial"),
        ("providers", "0001_initial"),
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_coordinators_group, remove_coordinators_group)]
