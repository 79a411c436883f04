"""A stored unit's overview row is found by the unit, not by its credit code (s10 web #1):
one row per stored unit (its current year), rows published by ``province publish`` one per
credit code and year; a unit's row goes when the unit is deleted (#2); a unit that cannot be
assessed has no emissions (``total_tco2e`` none).

Rows kept from before: a unit with several rows (its year or credit code changed since)
keeps the one of its present credit code and year, or else its latest; the rows deleted units
left behind go (those of units without a credit code, ``unit-<id>``, and those named as a unit
whose deletion the history records). ``tanjiliang review refresh-summaries`` then gives
every stored unit its row again (a unit whose row another enterprise's unit had taken)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def one_row_per_unit(apps: Any, schema_editor: Any) -> None:
    summary = apps.get_model("tjreview", "UnitSummary")
    history = apps.get_model("core", "HistoryEntry")
    # rows a deleted unit left behind (the link was set to null): those without a credit code,
    # and those named as a unit whose deletion the history records
    summary.objects.filter(unit__isnull=True, credit_code__startswith="unit-").delete()
    gone = set(history.objects.filter(action="delete").values_list("unit_name", flat=True))
    for name in summary.objects.filter(unit__isnull=True).values_list("name", flat=True):
        if name in gone:
            summary.objects.filter(unit__isnull=True, name=name).delete()
    seen: dict[int, list[Any]] = {}
    for row in summary.objects.filter(unit__isnull=False).select_related("unit").order_by(
            "unit_id", "-updated", "-pk"):
        seen.setdefault(row.unit_id, []).append(row)
    drop = []
    for rows in seen.values():
        if len(rows) < 2:
            continue
        unit = rows[0].unit
        key = unit.credit_code or f"unit-{unit.pk}"
        keep = next((r for r in rows if r.credit_code == key and r.year == unit.year), rows[0])
        drop += [r.pk for r in rows if r.pk != keep.pk]
    if drop:
        summary.objects.filter(pk__in=drop).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_profile_organisation_words'),
        ('tjreview', '0005_summary_city_any_language'),
    ]

    operations = [
        migrations.RunPython(one_row_per_unit, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='unitsummary',
            name='tjreview_summary_unit_year',
        ),
        migrations.AlterField(
            model_name='unitsummary',
            name='total_tco2e',
            field=models.FloatField(null=True),
        ),
        migrations.AlterField(
            model_name='unitsummary',
            name='unit',
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name='summaries', to='core.unit'),
        ),
        migrations.AddConstraint(
            model_name='unitsummary',
            constraint=models.UniqueConstraint(condition=models.Q(('unit__isnull', False)),
                                               fields=('unit',),
                                               name='tjreview_summary_one_per_unit'),
        ),
        migrations.AddConstraint(
            model_name='unitsummary',
            constraint=models.UniqueConstraint(condition=models.Q(('unit__isnull', True)),
                                               fields=('credit_code', 'year'),
                                               name='tjreview_summary_published_year'),
        ),
    ]
