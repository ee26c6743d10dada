"""Welsh beside English for the texts a person reads (events/translation.py).

The existing text is English: it is copied into the English column, which
pages read from now on; the Welsh column starts empty (pages fall back).
"""

from django.db import migrations, models

TRANSLATED = {
    "jointevent": ["title", "summary", "description", "venue"],
    "surgery": ["title", "description"],
}


def copy_text_into_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('events', model_name)
        model.objects.update(**{f"{field}_en_gb": models.F(field) for field in fields})


def copy_english_back(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('events', model_name)
        model.objects.update(**{field: models.F(f"{field}_en_gb") for field in fields})


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0007_surgery_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='jointevent',
            name='description_cy',
            field=models.TextField(blank=True, max_length=10000, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='description_en_gb',
            field=models.TextField(blank=True, max_length=10000, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='summary_cy',
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='summary_en_gb',
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='title_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='title_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='venue_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='jointevent',
            name='venue_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='surgery',
            name='description_cy',
            field=models.TextField(blank=True, max_length=5000, null=True),
        ),
        migrations.AddField(
            model_name='surgery',
            name='description_en_gb',
            field=models.TextField(blank=True, max_length=5000, null=True),
        ),
        migrations.AddField(
            model_name='surgery',
            name='title_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='surgery',
            name='title_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.RunPython(copy_text_into_english, copy_english_back),
    ]
