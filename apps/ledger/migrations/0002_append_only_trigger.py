"""PostgreSQL: refuse UPDATE and DELETE of ledger entries in the database itself, whatever
the code path (raw SQL, another client, a future bug). SQLite (local development) relies on
the model and its manager only.

A data migration that must rewrite entries (it should not) disables the trigger explicitly:
ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_entry_append_only; ... ENABLE TRIGGER.
TRUNCATE is not blocked: the test runner empties tables with it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % of ledger_ledgerentry id % refused; post a reversal instead', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER ledger_entry_append_only
    BEFORE UPDATE OR DELETE ON ledger_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_ledgerentry;
DROP FUNCTION IF EXISTS ledger_entry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_ledger_entry")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
