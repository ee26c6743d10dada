"""Welsh beside English for the texts a person reads (programmes/translation.py).

The existing text is English: it is copied into the English column, which
pages read from now on; the Welsh column starts empty (pages fall back).
"""

from django.db import migrations, models

TRANSLATED = {
    "offer": ["title", "summary", "description"],
    "historicaloffer": ["title", "summary", "description"],
    "programme": ["plain_name", "official_name", "summary"],
    "theme": ["name", "description"],
    "audience": ["name"],
    "region": ["name"],
    "glossaryterm": ["acronym", "meaning", "explanation"],
}


def copy_text_into_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('programmes', model_name)
        model.objects.update(**{f"{field}_en_gb": models.F(field) for field in fields})


def copy_english_back(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model('programmes', model_name)
        model.objects.update(**{field: models.F(f"{field}_en_gb") for field in fields})


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0011_outbox_email_headers'),
    ]

    operations = [
        migrations.AddField(
            model_name='audience',
            name='name_cy',
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='audience',
            name='name_en_gb',
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='acronym_cy',
            field=models.CharField(max_length=30, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='acronym_en_gb',
            field=models.CharField(max_length=30, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='explanation_cy',
            field=models.TextField(blank=True, help_text='What it is, in plain words.', max_length=2000, null=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='explanation_en_gb',
            field=models.TextField(blank=True, help_text='What it is, in plain words.', max_length=2000, null=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='meaning_cy',
            field=models.CharField(help_text='What the letters stand for.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='glossaryterm',
            name='meaning_en_gb',
            field=models.CharField(help_text='What the letters stand for.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='offer',
            name='description_cy',
            field=models.TextField(blank=True, max_length=10000, null=True),
        ),
        migrations.AddField(
            model_name='offer',
            name='description_en_gb',
            field=models.TextField(blank=True, max_length=10000, null=True),
        ),
        migrations.AddField(
            model_name='offer',
            name='summary_cy',
            field=models.CharField(help_text='Two or three plain sentences: what it is and why it helps.', max_length=400, null=True),
        ),
        migrations.AddField(
            model_name='offer',
            name='summary_en_gb',
            field=models.CharField(help_text='Two or three plain sentences: what it is and why it helps.', max_length=400, null=True),
        ),
        migrations.AddField(
            model_name='offer',
            name='title_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='offer',
            name='title_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='official_name_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='official_name_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='plain_name_cy',
            field=models.CharField(help_text='What providers see: plain words, no acronyms.', max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='plain_name_en_gb',
            field=models.CharField(help_text='What providers see: plain words, no acronyms.', max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='summary_cy',
            field=models.TextField(blank=True, help_text='What the programme offers, in plain language.', max_length=5000, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='summary_en_gb',
            field=models.TextField(blank=True, help_text='What the programme offers, in plain language.', max_length=5000, null=True),
        ),
        migrations.AddField(
            model_name='region',
            name='name_cy',
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='region',
            name='name_en_gb',
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_cy',
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_en_gb',
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='theme',
            name='name_cy',
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='theme',
            name='name_en_gb',
            field=models.CharField(max_length=100, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='historicaloffer',
            name='description_cy',
            field=models.TextField(blank=True, max_length=10000, null=True),
        ),
        migrations.AddField(
            model_name='historicaloffer',
            name='description_en_gb',
            field=models.TextField(blank=True, max_length=10000, null=True),
        ),
        migrations.AddField(
            model_name='historicaloffer',
            name='summary_cy',
            field=models.CharField(help_text='Two or three plain sentences: what it is and why it helps.', max_length=400, null=True),
        ),
        migrations.AddField(
            model_name='historicaloffer',
            name='summary_en_gb',
            field=models.CharField(help_text='Two or three plain sentences: what it is and why it helps.', max_length=400, null=True),
        ),
        migrations.AddField(
            model_name='historicaloffer',
            name='title_cy',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicaloffer',
            name='title_en_gb',
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.RunPython(copy_text_into_english, copy_english_back),
    ]
