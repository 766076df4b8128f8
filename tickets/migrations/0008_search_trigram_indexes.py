"""Trigram indexes for the ticket search (``tickets.selectors.search_tickets``), PostgreSQL only.

A search for "contains" (``LIKE '%…%'``) cannot use a b-tree index; pg_trgm's GIN indexes can, for
Chinese text too (the database's C.UTF-8 / zh_CN character classes count CJK characters as letters).
Each index is on the exact expression the search compares — ``UPPER(col::text)`` is Django's
``icontains`` on PostgreSQL, ``REPLACE(caller_phone, '-', '')`` the phone compared by its digits — so a
change to one side without the other shows in ``tests/tickets/test_search.py``.

pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the owner of the database may
create it without being a superuser. Not model ``Meta.indexes``: the quick start's SQLite has no GIN,
and there the search compares every row, which is fine at its size.
"""

from django.db import migrations

INDEXES = {
    "ticket_number_trgm": "tickets_ticket USING gin (UPPER(number::text) gin_trgm_ops)",
    "ticket_phone_digits_trgm": "tickets_ticket USING gin (REPLACE(caller_phone::text, '-', '') gin_trgm_ops)",
    "customer_name_trgm": "tickets_customer USING gin (UPPER(name::text) gin_trgm_ops)",
    "unit_serial_trgm": "tickets_unit USING gin (UPPER(serial_number::text) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_work_order_month_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
