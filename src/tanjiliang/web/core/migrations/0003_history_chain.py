"""The history as a hash chain, guarded by triggers; one API token per client name
(issue 18 §2, §5; web/core/audit.py, web/core/triggers.py)."""

import django.utils.timezone
from django.db import migrations, models

from tanjiliang.web.core.audit import GENESIS, row_hash
from tanjiliang.web.core.triggers import installer


def chain_existing(apps, schema_editor):
    History = apps.get_model("core", "HistoryEntry")
    prev = GENESIS
    for row in History.objects.order_by("id").iterator():
        sha = row_hash(prev, vars(row))
        History.objects.filter(pk=row.pk).update(prev_sha256=prev, sha256=sha)
        prev = sha


def one_token_per_name(apps, schema_editor):
    """Keep the newest token of each (user, client name); older duplicates are revoked."""
    Token = apps.get_model("core", "ApiToken")
    seen = set()
    for t in Token.objects.order_by("user_id", "name", "-created", "-id"):
        if (t.user_id, t.name) in seen:
            t.delete()
        else:
            seen.add((t.user_id, t.name))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_assessment_summary'),
    ]

    operations = [
        migrations.AddField(
            model_name='historyentry',
            name='prev_sha256',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AddField(
            model_name='historyentry',
            name='sha256',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='historyentry',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(*installer("core_historyentry")),
        migrations.RunPython(one_token_per_name, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='apitoken',
            constraint=models.UniqueConstraint(fields=('user', 'name'),
                                               name='api_token_one_per_client'),
        ),
    ]
