"""Users' signing keys; signed review records guarded by triggers (issue 18 §2;
web/review/keys.py, web/core/triggers.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tanjiliang.web.core.triggers import installer


class Migration(migrations.Migration):

    dependencies = [
        ('tjreview', '0001_initial'),
        ('core', '0003_history_chain'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SigningKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(default='user', max_length=8)),
                ('key_id', models.CharField(max_length=64, unique=True)),
                ('public_key', models.CharField(blank=True, max_length=64)),
                ('private_key', models.TextField(blank=True)),
                ('certificate', models.TextField()),
                ('certificate_key', models.TextField()),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('replaced', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signing_keys', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('replaced__isnull', True)), fields=('user',), name='tjreview_one_current_key')],
            },
        ),
        migrations.RunPython(*installer("tjreview_reviewrecord")),
    ]
