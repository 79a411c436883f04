# The indicators cache keyed by unit, revision and date (was one-to-one with the assessment
# cache, whose rows a worker's in-memory cache may skip storing). The rows are a cache: the
# table is made again.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_profile_organisation_words'),
        ('tjmonth', '0002_indicator_cache'),
    ]

    operations = [
        migrations.DeleteModel(name='IndicatorCache'),
        migrations.CreateModel(
            name='IndicatorCache',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField()),
                ('as_of', models.DateField()),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('data', models.JSONField()),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'revision', 'as_of'), name='indicator_cache_unique')],
            },
        ),
    ]
