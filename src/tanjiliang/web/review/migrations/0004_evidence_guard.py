"""Review evidence is never deleted nor repointed (issue 18 §2; web/core/triggers.py): what a
signature covers by hash stays stored."""

from django.db import migrations

from tanjiliang.web.core.triggers import installer


class Migration(migrations.Migration):

    dependencies = [
        ('tjreview', '0003_signing_key_guard'),
    ]

    operations = [
        migrations.RunPython(*installer("tjreview_evidencefile")),
    ]
