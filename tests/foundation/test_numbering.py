import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from servicedesk.core.numbering import next_number

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_numbers_are_sequential_per_prefix_and_year():
    at = datetime(2026, 5, 1, 10, tzinfo=SH)
    assert next_number("T", at=at) == "T-2026-000001"
    assert next_number("T", at=at) == "T-2026-000002"
    assert next_number("WO", at=at) == "WO-2026-000001"
    assert next_number("T", at=datetime(2027, 1, 1, 0, 5, tzinfo=SH)) == "T-2027-000001"


@pytest.mark.django_db
def test_the_year_is_the_shanghai_year():
    # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Shanghai.
    assert next_number("T", at=datetime(2026, 12, 31, 17, tzinfo=ZoneInfo("UTC"))).startswith("T-2027-")


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_number():
    n_threads, per_thread = 8, 25
    barrier = threading.Barrier(n_threads)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                results.append(next_number("C"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == len(set(results)) == n_threads * per_thread
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, n_threads * per_thread + 1))
