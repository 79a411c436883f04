"""Overview rows stored before regions were read in either language (tanjiliang.model.regions)
took an English region as its own city (``Henan Province, Jiaozuo``): their city is worked out
again the way the batch does now (焦作市), so that one city is one group."""

from typing import Any

from django.db import migrations


def recompute(apps: Any, schema_editor: Any) -> None:
    from tanjiliang.province.batch import city_of  # here: loading migrations imports no polars

    summary = apps.get_model("tjreview", "UnitSummary")
    regions = summary.objects.order_by().values_list("region", flat=True).distinct()
    for region in list(regions):
        city = city_of(region or None)
        summary.objects.filter(region=region).exclude(city=city).update(city=city)


class Migration(migrations.Migration):

    dependencies = [
        ('tjreview', '0004_evidence_guard'),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
