"""A final snapshot's confirmed gaps never change either: the trigger of 0002, which keeps
content, hash and scope immutable and a final snapshot as it was marked, now also refuses
any change to ``final_gaps`` once the snapshot is final. (SQLite relies on the services.)"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION reporting_snapshot_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.final THEN
            RAISE EXCEPTION 'A final report snapshot cannot be deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.content IS DISTINCT FROM NEW.content
       OR OLD.content_hash IS DISTINCT FROM NEW.content_hash
       OR OLD.biennium_id IS DISTINCT FROM NEW.biennium_id
       OR OLD.scope IS DISTINCT FROM NEW.scope
       OR OLD.region_id IS DISTINCT FROM NEW.region_id
       OR OLD.objective_id IS DISTINCT FROM NEW.objective_id
       OR OLD.language IS DISTINCT FROM NEW.language THEN
        RAISE EXCEPTION 'Report snapshots are immutable';
    END IF;
    IF OLD.final AND (NOT NEW.final
                      OR OLD.finalized_at IS DISTINCT FROM NEW.finalized_at
                      OR OLD.finalized_by_id IS DISTINCT FROM NEW.finalized_by_id
                      {extra}) THEN
        RAISE EXCEPTION 'A final report snapshot never changes';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
WITH_GAPS = FUNCTION.replace("{extra}", "OR OLD.final_gaps IS DISTINCT FROM NEW.final_gaps")
WITHOUT_GAPS = FUNCTION.replace("{extra}", "")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_GAPS)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITHOUT_GAPS)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_snapshot_final_gaps")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
