"""The load run's traffic (``make load``; see BENCHMARKS.md, section "Load").

Three kinds of user, each logged in through the real login form (session cookie + CSRF token), as
the demo department's people (``seed_demo``: password demo12345):

* dispatcher — ticket list API (newest first, cursor), search by customer name, ticket detail,
  registering a ticket (POST), and the admin changelist the desk works from;
* technician — "my work orders" API list and detail, the tablet's "my work today" and order page;
* supervisor — the callbacks workbench, the supervisor's daily report, the monthly statistics.

Every request is named "<group> <endpoint>", the group being one of list, detail, create, page,
report; a listener records each response time and failure, and at the end writes the per-group and
per-endpoint p50/p95/p99 and error counts to ``$LOAD_SUMMARY`` (JSON), which
``loadtest/summary.py`` prints. Locust's own ``--csv`` files hold the per-endpoint figures too.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import defaultdict

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo12345")
TECHNICIANS = os.environ.get("LOAD_TECHNICIANS", "tech01,tech02,tech03,tech05,tech06,tech08").split(",")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_samples: dict[str, list[float]] = defaultdict(list)
_errors: dict[str, int] = defaultdict(int)
_started = time.monotonic()


@events.test_start.add_listener
def _on_start(**_kwargs):
    global _started
    _samples.clear()
    _errors.clear()
    _started = time.monotonic()


@events.request.add_listener
def _on_request(name, response_time, exception, **_kwargs):
    if name.startswith("login"):
        return  # logging in is set-up, not the measured traffic
    _samples[name].append(response_time)
    if exception is not None:
        _errors[name] += 1


def _percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def _figures(values: list[float], errors: int, seconds: float) -> dict:
    values = sorted(values)
    return {
        "requests": len(values), "errors": errors, "rps": len(values) / seconds if seconds else 0.0,
        "p50": _percentile(values, 50), "p95": _percentile(values, 95), "p99": _percentile(values, 99),
        "max": values[-1] if values else 0.0,
    }


@events.quitting.add_listener
def _on_quit(environment, **_kwargs):
    path = os.environ.get("LOAD_SUMMARY")
    if not path:
        return
    seconds = time.monotonic() - _started
    groups: dict[str, list[float]] = defaultdict(list)
    group_errors: dict[str, int] = defaultdict(int)
    for name, values in _samples.items():
        group = name.split(" ", 1)[0]
        groups[group] += values
        group_errors[group] += _errors[name]
    everything = [v for values in _samples.values() for v in values]
    summary = {
        "seconds": seconds,
        "users": environment.parsed_options.num_users if environment.parsed_options else None,
        "total": _figures(everything, sum(_errors.values()), seconds),
        "groups": {g: _figures(v, group_errors[g], seconds) for g, v in sorted(groups.items())},
        "endpoints": {n: _figures(v, _errors[n], seconds) for n, v in sorted(_samples.items())},
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2, ensure_ascii=False)


class _Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF_RE.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/", name="login post", allow_redirects=False, catch_response=True,
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not log in ({response.status_code})")
                raise RuntimeError(f"{self.username} could not log in")
        self.csrf = self.client.cookies.get("csrftoken", "")

    def get(self, url: str, name: str, **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            return response

    def json(self, url: str, name: str):
        response = self.get(url, name)
        try:
            return response.json()
        except ValueError:
            return {}


class Dispatcher(_Person):
    weight = 3
    username = "dispatcher"
    ticket_ids: list[int] = []
    customers: list[dict] = []

    def on_start(self):
        super().on_start()
        self.customers = self.json("/api/v1/customers/?page_size=50", "list customers API").get("results", [])

    @task(6)
    def ticket_list(self):
        data = self.json("/api/v1/tickets/", "list tickets API")
        self.ticket_ids = [row["id"] for row in data.get("results", [])] or self.ticket_ids

    @task(2)
    def ticket_search(self):
        if self.customers:
            name = random.choice(self.customers)["name"][:4]
            self.get("/api/v1/tickets/", "list tickets API search", params={"search": name})

    @task(4)
    def ticket_detail(self):
        if self.ticket_ids:
            self.get(f"/api/v1/tickets/{random.choice(self.ticket_ids)}/", "detail ticket API")

    @task(2)
    def admin_changelist(self):
        self.get("/admin/tickets/ticket/", "list tickets admin changelist")

    @task(1)
    def register(self):
        if not self.customers:
            return
        customer = random.choice(self.customers)
        with self.client.post(
            "/api/v1/tickets/", name="create ticket API", catch_response=True,
            json={"customer": customer["id"], "channel": "phone", "kind": "service", "service_type": "repair",
                  "caller_name": "压测", "caller_phone": "13812345678", "description": "负载测试：空调不制冷"},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/"},
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Technician(_Person):
    weight = 3
    order_ids: list[int] = []

    def on_start(self):
        self.username = random.choice(TECHNICIANS)
        super().on_start()

    @task(4)
    def my_orders(self):
        data = self.json("/api/v1/work-orders/", "list work orders API")
        self.order_ids = [row["id"] for row in data.get("results", [])] or self.order_ids

    @task(3)
    def order_detail(self):
        if self.order_ids:
            self.get(f"/api/v1/work-orders/{random.choice(self.order_ids)}/", "detail work order API")

    @task(3)
    def tablet_today(self):
        self.get("/tablet/work/", "list tablet my work")

    @task(3)
    def tablet_order(self):
        if self.order_ids:
            self.get(f"/tablet/orders/{random.choice(self.order_ids)}/", "detail tablet order page")


class Supervisor(_Person):
    weight = 1
    username = "supervisor"

    @task(5)
    def workbench(self):
        self.get("/visits/callbacks/", "list callbacks workbench")

    @task(2)
    def daily_report(self):
        self.get("/workorders/reports/supervisor/", "report supervisor daily")

    @task(1)
    def statistics(self):
        self.get("/reports/statistics/", "report monthly statistics")
