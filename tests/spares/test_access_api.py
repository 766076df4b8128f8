"""Who sees and changes which stock: one policy for every list, detail, write and export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from spares import services
from spares.models import Location, StockMove

pytestmark = pytest.mark.django_db

API = "/api/v1/spares"


@pytest.fixture
def two_stations(central, station_a_stock, station_b_stock, van_a, van_b, compressor, thermostat, put_stock,
                 warehouse_keeper):
    put_stock(central, (compressor, 10), (thermostat, 10))
    put_stock(station_a_stock, (compressor, 3))
    put_stock(station_b_stock, (thermostat, 4))
    keeper = warehouse_keeper.user
    services.transfer_stock(from_location=central, to_location=van_a, lines=[(compressor, 1)], actor=keeper)
    services.transfer_stock(from_location=central, to_location=van_b, lines=[(thermostat, 1)], actor=keeper)
    return central, station_a_stock, station_b_stock, van_a, van_b


def _codes(response):
    assert response.status_code == 200, response.content[:300]
    return sorted({row["location_code"] for row in response.json()["results"]})


def test_a_technician_sees_only_his_van_and_his_station(api_client_as, technician, two_stations):
    central, station_a, station_b, van_a, van_b = two_stations
    assert _codes(api_client_as(technician).get(f"{API}/stock/?page_size=100")) == sorted([station_a.code, van_a.code])
    locations = api_client_as(technician).get(f"{API}/locations/").json()["results"]
    assert sorted(loc["code"] for loc in locations) == sorted([station_a.code, van_a.code])
    # Another van's balance is simply not there.
    other = services.ensure_balance(part=van_b.balances.first().part, location=van_b)
    assert api_client_as(technician).get(f"{API}/stock/{other.pk}/").status_code == 404


def test_the_other_technician_sees_nothing_of_the_first(api_client_as, other_technician, two_stations):
    central, station_a, station_b, van_a, van_b = two_stations
    assert _codes(api_client_as(other_technician).get(f"{API}/stock/?page_size=100")) == sorted([station_b.code, van_b.code])
    moves = api_client_as(other_technician).get(f"{API}/moves/?page_size=100").json()["results"]
    touched = {m["from_location"]["code"] if m["from_location"] else None for m in moves} | {
        m["to_location"]["code"] if m["to_location"] else None for m in moves}
    assert van_a.code not in touched and station_a.code not in touched


def test_a_station_head_sees_his_station_and_the_central_warehouse(api_client_as, station_head, two_stations):
    central, station_a, station_b, van_a, van_b = two_stations
    assert _codes(api_client_as(station_head).get(f"{API}/stock/?page_size=100")) == sorted(
        [central.code, station_a.code, van_a.code]
    )


def test_department_wide_readers_see_everything(api_client_as, manager, finance, two_stations):
    for person in (manager, finance):
        assert len(_codes(api_client_as(person).get(f"{API}/stock/?page_size=100"))) == 5


def test_a_station_head_keeps_only_his_own_station(api_client_as, station_head, two_stations, compressor, thermostat):
    central, station_a, station_b, van_a, van_b = two_stations
    client = api_client_as(station_head)
    own = client.post(f"{API}/receipts/", {"location": station_a.pk, "supplier": "本地经销商",
                                           "lines": [{"part": compressor.pk, "qty": "1"}]}, format="json")
    assert own.status_code == 201
    other = client.post(f"{API}/receipts/", {"location": station_b.pk, "supplier": "本地经销商",
                                             "lines": [{"part": compressor.pk, "qty": "1"}]}, format="json")
    assert other.status_code == 403 and other.json()["errors"] == {"location": [other.json()["errors"]["location"][0]]}
    central_write = client.post(f"{API}/write-offs/", {"kind": "damaged", "location": central.pk, "part": thermostat.pk,
                                                       "qty": "1", "reason": "x"}, format="json")
    assert central_write.status_code == 403


@pytest.mark.parametrize("persona", ["technician", "finance", "dispatcher", "supervisor"])
def test_readers_cannot_receive_transfer_or_write_off(request, api_client_as, persona, two_stations, compressor):
    central, station_a, *_ = two_stations
    client = api_client_as(request.getfixturevalue(persona))
    before = StockMove.objects.count()
    assert client.post(f"{API}/receipts/", {"location": central.pk, "supplier": "x",
                                            "lines": [{"part": compressor.pk, "qty": "1"}]}, format="json").status_code == 403
    assert client.post(f"{API}/transfers/", {"from_location": central.pk, "to_location": station_a.pk,
                                             "lines": [{"part": compressor.pk, "qty": "1"}]}, format="json").status_code == 403
    assert client.post(f"{API}/write-offs/", {"kind": "other", "location": central.pk, "part": compressor.pk,
                                              "qty": "1", "reason": "x"}, format="json").status_code == 403
    assert StockMove.objects.count() == before


def test_quantities_and_statuses_cannot_be_written_directly(api_client_as, warehouse_keeper, two_stations):
    """Stock and moves are read-only endpoints; only documents change quantities."""
    central, *_ = two_stations
    client = api_client_as(warehouse_keeper)
    balance = central.balances.first()
    assert client.patch(f"{API}/stock/{balance.pk}/", {"qty": "999"}, format="json").status_code == 405
    assert client.delete(f"{API}/stock/{balance.pk}/").status_code == 405
    move = StockMove.objects.first()
    assert client.patch(f"{API}/moves/{move.pk}/", {"qty": "999"}, format="json").status_code == 405
    assert client.delete(f"{API}/moves/{move.pk}/").status_code == 405
    balance.refresh_from_db()
    assert balance.qty == 9  # ten received, one sent to a van


def test_the_stock_export_is_scoped_and_formula_safe(api_client_as, technician, warehouse_keeper, two_stations, make_part, put_stock):
    central, station_a, *_ = two_stations
    evil = make_part("=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0")
    put_stock(station_a, (evil, 2))
    response = api_client_as(technician).get(f"{API}/stock/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert {row[0] for row in rows} == {station_a.code, technician.spare_locations.get().code}
    cells = [c for row in ws.iter_rows(min_row=4) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    names = [row[3] for row in rows]
    assert "'=cmd|' /C calc'!A0" in names
    qty = [row[6] for row in rows if row[2] == "'" + evil.number]
    assert qty == [2]  # numbers stay numbers


def test_the_moves_export_lists_the_ledger(api_client_as, warehouse_keeper, two_stations):
    response = api_client_as(warehouse_keeper).get(f"{API}/moves/export/?kind=receipt")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == StockMove.objects.filter(kind="receipt").count() == 4


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("stock/?location={central}", 6),
        ("moves/", 6),
        ("requisitions/", 7),
        ("receipts/", 7),
        ("locations/", 5),
        ("parts/", 5),
    ],
)
def test_list_endpoints_read_a_fixed_number_of_queries(
    api_client_as, warehouse_keeper, manager, central, van_a, make_part, put_stock, django_assert_max_num_queries,
    url, limit,
):
    client = api_client_as(warehouse_keeper)
    url = f"{API}/" + url.format(central=central.pk)
    counts = []
    for more in (2, 15):
        parts = [make_part() for _ in range(more)]
        put_stock(central, *[(p, 5) for p in parts])
        for p in parts[:3]:
            requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(p, 1)],
                                                      actor=warehouse_keeper.user)
            services.approve_requisition(requisition=requisition, actor=manager.user)
            services.issue_requisition(requisition=requisition, actor=warehouse_keeper.user)
        with django_assert_max_num_queries(limit) as captured:
            response = client.get(url + ("&" if "?" in url else "?") + "page_size=100")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_locations_model_refuses_inconsistent_kinds(station_a):
    location = Location(code="BAD", name="bad", kind=Location.Kind.CENTRAL, station=station_a)
    with pytest.raises(Exception):
        location.full_clean()
