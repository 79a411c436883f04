"""Signing keys are never deleted nor their public part changed (issue 18 §2;
web/core/triggers.py): what they signed must keep verifying."""

from django.db import migrations

from tanjiliang.web.core.triggers import installer


class Migration(migrations.Migration):

    dependencies = [
        ('tjreview', '0002_signing_keys'),
    ]

    operations = [
        migrations.RunPython(*installer("tjreview_signingkey")),
    ]
