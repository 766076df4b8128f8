"""``manage.py bench`` — run the registered benchmark figures and print ours vs floor."""

from __future__ import annotations

import json
import os
import platform

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from servicedesk.core import bench


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def machine_facts() -> dict:
    try:
        db_version = ".".join(str(p) for p in connection.get_database_version())
    except Exception:  # not every backend can say; a benchmark must not fail on it
        db_version = "?"
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {db_version}",
        "database_name": str(connection.settings_dict.get("NAME", "")),
        "debug": settings.DEBUG,
    }


class Command(BaseCommand):
    # The figures are the point; system-check warnings would only push the table off the screen.
    requires_system_checks = []
    help = (
        "Run the benchmark figures registered in <app>/bench.py. Each figure times our operation and "
        "a floor (the simplest baseline doing the same work) in the same run and prints both."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1,
                            help="Size factor passed to figures that seed data (e.g. N tickets). Default 1.")
        parser.add_argument("--only", action="append", metavar="NAME",
                            help="Run only this figure, this app's figures (e.g. 'calendar') or a glob; repeatable.")
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs per side; the best counts. Default 5.")
        parser.add_argument("--warmup", type=int, default=1, help="Untimed runs per side first. Default 1.")
        parser.add_argument("--list", action="store_true", help="List the figures and exit.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print machine facts and results as JSON.")

    def handle(self, *args, scale, only, repeat, warmup, as_json, **options):
        if scale < 1 or repeat < 1 or warmup < 0:
            raise CommandError("--scale and --repeat must be at least 1, --warmup at least 0.")
        bench.autodiscover()
        figures = bench.select(only)
        if options["list"]:
            for fig in figures:
                self.stdout.write(f"{fig.name:<40} {fig.unit:<6} {fig.description}")
            return
        if not figures:
            known = ", ".join(f.name for f in bench.all_figures()) or "none"
            raise CommandError(f"No figure matches {only!r}. Known figures: {known}.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run `manage.py migrate` first.")

        facts = machine_facts()
        results = []
        for fig in figures:
            if not as_json:
                self.stderr.write(f"running {fig.name} …")
            try:
                results.append(bench.run_figure(fig, scale=scale, repeat=repeat, warmup=warmup))
            except bench.Skipped as why:
                self.stderr.write(f"skipped {fig.name}: {why}")

        if as_json:
            payload = {"machine": facts, "scale": scale, "repeat": repeat, "warmup": warmup,
                       "results": [r.as_dict() for r in results]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
            return
        self._print_table(facts, results, scale=scale, repeat=repeat, warmup=warmup)

    def _print_table(self, facts, results, *, scale, repeat, warmup):
        w = self.stdout.write
        w(f"Service Desk benchmarks — scale {scale}, best of {repeat} runs after {warmup} warm-up")
        w(f"{facts['python']} on {facts['platform']}, {facts['cpus']} CPUs; Django {facts['django']}; "
          f"database {facts['database']} ({facts['database_name']})")
        if facts["debug"]:
            w("DEBUG is on: Django records every query, which slows database-bound figures.")
        w("")
        rows = [("figure", "unit", "ours", "floor", "ours÷floor time", "notes")]
        for r in results:
            rows.append((r.figure.name, r.figure.unit, _number(r.ours), _number(r.floor), f"{r.ratio:,.1f}×", r.notes))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        for i, row in enumerate(rows):
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
            cells += [row[c].rjust(widths[c]) for c in (2, 3, 4)]
            w("  ".join(cells) + "  " + row[5])
            if i == 0:
                w("  ".join("-" * n for n in widths) + "  -----")
        w("")
        w("ours÷floor time = our time per operation ÷ the floor's (1.0× = as fast as the floor, higher = slower).")
        w("ops/s: operations per second (higher is better); ms: milliseconds per operation (lower is better).")

