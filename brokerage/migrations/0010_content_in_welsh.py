"""Welsh beside English for the texts a person reads (brokerage/translation.py).

The existing text is English: it is copied into the English column, which
pages read from now on; the Welsh column starts empty (pages fall back).
"""

from django.db import migrations, models

TRANSLATED = {
    "bulletin": ["title", "introduction"],
}


def copy_text_into_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('brokerage', model_name)
        model.objects.update(**{f"{field}_en_gb": models.F(field) for field in fields})


def copy_english_back(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('brokerage', model_name)
        model.objects.update(**{field: models.F(f"{field}_en_gb") for field in fields})


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0009_text_length_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='bulletin',
            name='introduction_cy',
            field=models.TextField(blank=True, help_text='A few plain sentences that open the bulletin.', max_length=5000, null=True),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='introduction_en_gb',
            field=models.TextField(blank=True, help_text='A few plain sentences that open the bulletin.', max_length=5000, null=True),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='title_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='title_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.RunPython(copy_text_into_english, copy_english_back),
    ]
