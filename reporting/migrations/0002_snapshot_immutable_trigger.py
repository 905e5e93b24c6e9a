"""PostgreSQL holds snapshots immutable: content, hash and scope never change, and a final
snapshot can neither be unmarked nor deleted. (SQLite, the demo's database, relies on the
services alone.)"""

from django.db import migrations

CREATE = """
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
                      OR OLD.finalized_by_id IS DISTINCT FROM NEW.finalized_by_id) THEN
        RAISE EXCEPTION 'A final report snapshot never changes';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER reporting_snapshot_immutable
    BEFORE UPDATE OR DELETE ON reporting_reportsnapshot
    FOR EACH ROW EXECUTE FUNCTION reporting_snapshot_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS reporting_snapshot_immutable ON reporting_reportsnapshot;
DROP FUNCTION IF EXISTS reporting_snapshot_immutable();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_report_runs")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
