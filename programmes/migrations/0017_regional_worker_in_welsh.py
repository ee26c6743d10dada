"""Welsh beside English for a regional worker's job title and remit (programmes/translation.py).

As in 0012: the existing text is English, so it is copied into the English
column, which pages read from now on; the Welsh column starts empty.
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce

FIELDS = ("job_title", "remit")


def copy_text_into_english(apps, schema_editor):
    apps.get_model("programmes", "regionalworker").objects.update(
        **{f"{field}_en_gb": models.F(field) for field in FIELDS}
    )


def copy_english_back(apps, schema_editor):
    # Going back, the English is the text; a worker with no English (Welsh only) keeps an empty field.
    apps.get_model("programmes", "regionalworker").objects.update(
        **{field: Coalesce(f"{field}_en_gb", models.Value("")) for field in FIELDS}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0016_field_names_translatable'),
    ]

    operations = [
        migrations.AddField(
            model_name='regionalworker',
            name='job_title_cy',
            field=models.CharField(blank=True, max_length=150, null=True, verbose_name='job title'),
        ),
        migrations.AddField(
            model_name='regionalworker',
            name='job_title_en_gb',
            field=models.CharField(blank=True, max_length=150, null=True, verbose_name='job title'),
        ),
        migrations.AddField(
            model_name='regionalworker',
            name='remit_cy',
            field=models.TextField(blank=True, help_text='What you cover and who should talk to you.', max_length=2000, null=True, verbose_name='remit'),
        ),
        migrations.AddField(
            model_name='regionalworker',
            name='remit_en_gb',
            field=models.TextField(blank=True, help_text='What you cover and who should talk to you.', max_length=2000, null=True, verbose_name='remit'),
        ),
        migrations.RunPython(copy_text_into_english, copy_english_back),
    ]
