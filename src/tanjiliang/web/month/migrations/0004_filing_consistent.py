"""Each filing's daily-vs-monthly consistency as a column (``MonthFiling.consistent``), so
that the 监管指标 page counts it in the database; existing rows are filled from their frozen
record (tanjiliang.month.close.filing_consistent). The historical model of a migration has
Django's plain manager and save (not the append-only ones of ``models.MonthFiling``): the
column is derived from ``data``, which stays as it was, and so does the record's hash."""

from typing import Any

from django.db import migrations, models

from tanjiliang.month.close import filing_consistent


def fill(apps: Any, schema_editor: Any) -> None:
    filing = apps.get_model("tjmonth", "MonthFiling")
    db = schema_editor.connection.alias
    found: dict[bool, list[int]] = {True: [], False: []}
    for pk, data in filing.objects.using(db).values_list("pk", "data").iterator(chunk_size=2000):
        ok = filing_consistent(data if isinstance(data, dict) else {})
        if ok is not None:
            found[ok].append(pk)
    for ok, pks in found.items():
        for k in range(0, len(pks), 2000):
            filing.objects.using(db).filter(pk__in=pks[k:k + 2000]).update(consistent=ok)


class Migration(migrations.Migration):

    dependencies = [
        ('tjmonth', '0003_indicator_cache_per_revision'),
    ]

    operations = [
        migrations.AddField(
            model_name='monthfiling',
            name='consistent',
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
