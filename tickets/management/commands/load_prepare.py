"""``manage.py load_prepare`` — the database of the load run (``make load``, loadtest/README in BENCHMARKS.md).

Idempotent: loads the demo department (``seed_demo``: one user per role, technicians with work
orders, callbacks due), then tops the tickets up to ``--tickets`` (default 200,000) with the bench's
own builder (``tickets.bench._seed_tickets``: generate_series, each ticket with a log row and two
open clocks), spread over the demo customers and their stations so that the dispatcher, the
supervisor and the statistics see them. PostgreSQL only (the builder uses generate_series).
"""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from tickets.bench import _seed_tickets
from tickets.models import Customer, Ticket


class Command(BaseCommand):
    help = "Prepare the load run's database: demo department plus --tickets tickets (default 200,000). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=200_000, help="Bench tickets wanted in all. Default 200,000.")

    def handle(self, *args, tickets, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load run needs PostgreSQL: set DATABASE_URL=postgres://…")
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        have = Ticket.objects.filter(number__startswith="BENCH-").count()
        if have >= tickets:
            self.stdout.write(f"{have:,} bench tickets already there.")
            return
        customers = list(Customer.objects.exclude(name="基准客户").order_by("pk").values_list("pk", "station_id"))
        if not customers:
            raise CommandError("seed_demo made no customers.")
        with transaction.atomic():
            if have:
                # The builder numbers from 1: start again rather than collide on numbers.
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL session_replication_role = replica")
                    for table in ("tickets_slaclock", "tickets_ticketlog"):
                        cur.execute(f"DELETE FROM {table} WHERE ticket_id IN (SELECT id FROM tickets_ticket WHERE number LIKE 'BENCH-%%')")
                    cur.execute("DELETE FROM tickets_ticket WHERE number LIKE 'BENCH-%%'")
                    cur.execute("SET LOCAL session_replication_role = origin")
            _seed_tickets(tickets, met_every=3)
            with connection.cursor() as cur:
                # Spread the rows over the demo customers (and so their stations), round robin by id.
                cur.execute("SET LOCAL session_replication_role = replica")
                cur.execute(
                    """
                    UPDATE tickets_ticket t SET customer_id = c.customer_id, station_id = c.station_id
                    FROM (SELECT * FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS x(customer_id, station_id, n)) c
                    WHERE t.number LIKE 'BENCH-%%' AND c.n = (t.id %% %s) + 1
                    """,
                    [[c for c, _ in customers], [s for _, s in customers], len(customers)],
                )
                cur.execute("SET LOCAL session_replication_role = origin")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE tickets_ticket")
            cur.execute("VACUUM ANALYZE tickets_slaclock")
            cur.execute("VACUUM ANALYZE tickets_ticketlog")
        self.stdout.write(f"{Ticket.objects.count():,} tickets in all ({tickets:,} bench tickets over {len(customers)} customers).")
