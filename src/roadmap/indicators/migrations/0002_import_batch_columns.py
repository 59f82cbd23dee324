from django.db import migrations


def rows_to_columns(apps, schema_editor):
    """Batches still waiting for confirmation keep their rows, now stored column by column."""
    ImportBatch = apps.get_model("indicators", "ImportBatch")
    for batch in ImportBatch.objects.filter(status="preview").exclude(columns=[]):
        batch.columns = [list(column) for column in zip(*batch.columns, strict=True)]
        batch.save(update_fields=["columns"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [
        migrations.RenameField("importbatch", "rows", "columns"),
        migrations.RunPython(rows_to_columns, rows_to_columns, elidable=True),
    ]
