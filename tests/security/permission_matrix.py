"""The permission matrix — who may open or do what, for every URL of Service Desk.

Read it as documentation: one row per URL (its name; admin pages as ``admin:<app>.<model>:<page>``),
one cell per caller — the nine roles of ``servicedesk/org/roles.py`` and an anonymous visitor.
``tests/security/test_permission_matrix.py`` walks the URL resolver, calls every URL as every caller
and compares the answer with the cell; a URL with no row here fails the test.

Cells
  ALLOW    the caller gets an answer (2xx, a redirect that is not to a login page, or a 4xx that
           judges the input: 400/405/409); never a 5xx.
  DENY     401/403/404, or a redirect to a login page (an admin object the caller may not see:
           the admin's "does not exist" redirect to its index).
  For URLs about one object (a ``pk``), the cell says which of three sample objects the caller
  may reach: the technician tech01's own (at station SH01), a colleague's at SH01, and one of
  station SZ01 (see ``world.py``):
  ALL      all three;  STATION  his station's two;  OWN  only his own;  DENY  none.
  "?" in a cell marks a sample the demo data has no row for (that object was not tried).

Methods: GET for pages; for API routes every method the route accepts (GET, POST, PATCH,
DELETE), sent with a small body that passes most validation (``probe.BODY``), so the answer shows
the permission decision. A page that answers GET with 405 is tried with POST. Every request is
rolled back.

Callers: dispatcher, technician (tech01, SH01), supervisor, warehouse_keeper, station_head (both
SH01), manager, general_manager, finance, admin (a superuser) and anonymous — the demo's users.
Supervisors, managers, the general manager, dispatchers and finance work department-wide by design
(SPEC §1; ``tickets.selectors._DEPARTMENT_WIDE``); technicians see their own work, station heads
and warehouse keepers their station.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROLES = ("dispatcher", "technician", "supervisor", "warehouse_keeper", "station_head", "manager", "general_manager",
         "finance", "admin")
ANON = "anonymous"
CALLERS = (*ROLES, ANON)

ALLOW, DENY = "allow", "deny"
ALL, STATION, OWN = "all", "station", "own"

ADMIN_KINDS = ("changelist", "add", "change", "delete", "history")


def key_of(route) -> str:
    """The row name of a route: its URL name; admin model pages as ``admin:<app>.<model>:<page>``."""
    m = re.match(r"admin/(\w+)/(\w+)/", route.pattern)
    if m and (route.key.startswith("admin:") or route.key == route.pattern):
        app, model = m.groups()
        for kind in ADMIN_KINDS:
            if route.key == f"admin:{app}_{model}_{kind}":
                return f"admin:{app}.{model}:{kind}"
        if route.key == route.pattern or route.key == "admin:":
            return f"admin:{app}.{model}:redirect"
    return route.key


def scope_of(outcomes) -> str:
    """Outcomes on the three samples (mine, colleague's, other station's) → a cell."""
    o = tuple(outcomes)
    named = {(ALLOW,) * 3: ALL, (ALLOW, ALLOW, DENY): STATION, (ALLOW, DENY, DENY): OWN, (DENY,) * 3: DENY}
    return named.get(o, "/".join(o))


def r(default: str, **cells: str) -> dict:
    """One row: ``default`` for every caller, except those named."""
    unknown = set(cells) - set(CALLERS)
    assert not unknown, f"not a caller: {unknown}"
    return {caller: cells.get(caller, default) for caller in CALLERS}


@dataclass
class Entry:
    cells: dict = field(default_factory=dict)   # method → {caller: cell}
    methods: tuple = ()
    model: str | None = None
    params: dict | None = None
    unavailable: tuple = ()   # 5xx statuses that are this route's honest answer (health: 503)

    def expected(self, method):
        return self.cells.get(method, {})


def E(*, methods=(), model=None, params=None, unavailable=(), **cells) -> Entry:
    return Entry(cells=cells, methods=tuple(methods), model=model, params=params, unavailable=tuple(unavailable))


def entry_for(route):
    return MATRIX.get(key_of(route))


def cells_checked() -> int:
    """How many (URL, method, caller) cells the matrix declares (the figure in SECURITY.md)."""
    return sum(len(row) for entry in MATRIX.values() for row in entry.cells.values())

# The model behind each object route that is not a DRF viewset or a standard admin page.
MODELS = {
    "visits:complete": "visits.Visit", "visits:cancel": "visits.Visit", "visits:renewal": "visits.RenewalTask",
    "visits:callback": "visits.Callback", "notifications:open": "notifications.Notification",
    "appraisal:backup_download": "appraisal.BackupSubmission", "appraisal:mark_incomplete": "appraisal.BackupSubmission",
    "appraisal:borrow_detail": "appraisal.BorrowRequest", "appraisal:borrow_decide": "appraisal.BorrowRequest",
    "appraisal:borrow_cancel": "appraisal.BorrowRequest", "appraisal:borrow_download": "appraisal.BorrowRequest",
    "appraisal:scorecard": "appraisal.Scorecard", "appraisal:adjust": "appraisal.Scorecard",
    "appraisal:evaluate": "appraisal.Scorecard", "appraisal:drill": "appraisal.Scorecard",
    "workorders:carry_in_receipt": "tickets.CarryIn", "workorders:carry_in_tag": "tickets.CarryIn",
    "reports:billing_mark": "tickets.WorkOrder", "reports:export_job": "reports.ExportJob",
    "reports:export_progress": "reports.ExportJob", "reports:export_download": "reports.ExportJob",
    "reports:fee_report": "reports.FeeReport", "reports:work_report": "reports.WorkReport",
    "tablet:order": "tickets.WorkOrder", "tablet:sign": "tickets.WorkOrder", "tablet:signed": "tickets.WorkOrder",
    "tablet:photo": "tickets.WorkOrder", "tablet:signature_image": "tickets.WorkOrder", "tablet:step": "tickets.WorkOrder",
    "admin:spares_stocktake_count": "spares.StockTake", "admin:tickets_ticket_dispatch": "tickets.Ticket",
    "admin:tickets_ticket_operation": "tickets.Ticket", "admin:visits_renewaltask_close": "visits.RenewalTask",
    "admin:appraisal_backupsubmission_download": "appraisal.BackupSubmission",
    "admin:view_on_site": "tickets.Customer", "reports-export-detail": "reports.ExportJob", "reports-export-download": "reports.ExportJob",
    **{f"ticket-{a}": "tickets.Ticket" for a in (
        "detail", "classify", "clocks", "close", "dispatch", "escalate", "hold", "log", "plan", "reply", "resume",
        "suggestions")},
    **{f"workorder-{a}": "tickets.WorkOrder" for a in (
        "detail", "accept", "add-item", "add-old-part", "add-part", "arrive", "cancel", "checklist", "complete",
        "confirm-appointment", "confirm-price", "correct", "hold", "photo-image", "photos", "remove-item",
        "remove-old-part", "remove-part", "report", "resume", "review", "rework", "sign", "signature-image", "start",
        "verify-one")},
}

# The rows, as the walk observed them and as reviewed (see SECURITY.md, "Permission matrix", for the
# rows that read surprisingly and why). Re-derive with PERMISSION_MATRIX_DUMP (see SECURITY.md).
MATRIX: dict[str, Entry] = {

    # --- the Django admin -----------------------------------------------------------------------
    'admin:index': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/
    'admin:login': E(GET=r(ALLOW)),  # admin/login/
    'admin:logout': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/logout/
    'admin:password_change': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/password_change/
    'admin:password_change_done': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/password_change/done/
    'admin:autocomplete': E(GET=r(DENY)),  # admin/autocomplete/
    'admin:jsi18n': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/jsi18n/
    'admin:view_on_site': E(GET=r(DENY)),  # admin/r/<path:content_type_id>/<path:object_id>/
    'admin:core.jobheartbeat:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/core/jobheartbeat/
    'admin:core.jobheartbeat:add': E(GET=r(DENY)),  # admin/core/jobheartbeat/add/
    'admin:core.jobheartbeat:history': E(GET=r('?/?/?')),  # admin/core/jobheartbeat/<path:object_id>/history/
    'admin:core.jobheartbeat:delete': E(GET=r('?/?/?')),  # admin/core/jobheartbeat/<path:object_id>/delete/
    'admin:core.jobheartbeat:change': E(GET=r('?/?/?')),  # admin/core/jobheartbeat/<path:object_id>/change/
    'admin:core.jobheartbeat:redirect': E(GET=r('?/?/?')),  # admin/core/jobheartbeat/<path:object_id>/
    'admin:core.numbersequence:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/core/numbersequence/
    'admin:core.numbersequence:add': E(GET=r(DENY)),  # admin/core/numbersequence/add/
    'admin:core.numbersequence:history': E(GET=r(DENY, admin=ALL)),  # admin/core/numbersequence/<path:object_id>/history/
    'admin:core.numbersequence:delete': E(GET=r(DENY, admin=ALL)),  # admin/core/numbersequence/<path:object_id>/delete/
    'admin:core.numbersequence:change': E(GET=r(DENY, admin=ALL)),  # admin/core/numbersequence/<path:object_id>/change/
    'admin:core.numbersequence:redirect': E(GET=r(DENY, admin=ALL)),  # admin/core/numbersequence/<path:object_id>/
    'admin:org.department:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/org/department/
    'admin:org.department:add': E(GET=r(DENY, admin=ALLOW)),  # admin/org/department/add/
    'admin:org.department:history': E(GET=r(DENY, admin=ALL)),  # admin/org/department/<path:object_id>/history/
    'admin:org.department:delete': E(GET=r(DENY, admin=ALL)),  # admin/org/department/<path:object_id>/delete/
    'admin:org.department:change': E(GET=r(DENY, admin=ALL)),  # admin/org/department/<path:object_id>/change/
    'admin:org.department:redirect': E(GET=r(DENY, admin=ALL)),  # admin/org/department/<path:object_id>/
    'admin:org.station:changelist': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/org/station/
    'admin:org.station:add': E(GET=r(DENY, admin=ALLOW)),  # admin/org/station/add/
    'admin:org.station:history': E(GET=r('allow/?/allow', technician='deny/?/deny', anonymous='deny/?/deny')),  # admin/org/station/<path:object_id>/history/
    'admin:org.station:delete': E(GET=r('deny/?/deny', admin='allow/?/allow')),  # admin/org/station/<path:object_id>/delete/
    'admin:org.station:change': E(GET=r('allow/?/allow', technician='deny/?/deny', anonymous='deny/?/deny')),  # admin/org/station/<path:object_id>/change/
    'admin:org.station:redirect': E(GET=r('allow/?/allow', technician='deny/?/deny', anonymous='deny/?/deny')),  # admin/org/station/<path:object_id>/
    'admin:org.productline:changelist': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/org/productline/
    'admin:org.productline:add': E(GET=r(DENY, admin=ALLOW)),  # admin/org/productline/add/
    'admin:org.productline:history': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/org/productline/<path:object_id>/history/
    'admin:org.productline:delete': E(GET=r(DENY, admin=ALL)),  # admin/org/productline/<path:object_id>/delete/
    'admin:org.productline:change': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/org/productline/<path:object_id>/change/
    'admin:org.productline:redirect': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/org/productline/<path:object_id>/
    'admin:org.staff:changelist': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/org/staff/
    'admin:org.staff:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/org/staff/add/
    'admin:org.staff:history': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/org/staff/<path:object_id>/history/
    'admin:org.staff:delete': E(GET=r(DENY, admin=ALL)),  # admin/org/staff/<path:object_id>/delete/
    'admin:org.staff:change': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/org/staff/<path:object_id>/change/
    'admin:org.staff:redirect': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/org/staff/<path:object_id>/
    'admin:business_calendar.weeklyhours:changelist': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/business_calendar/weeklyhours/
    'admin:business_calendar.weeklyhours:add': E(GET=r(DENY)),  # admin/business_calendar/weeklyhours/add/
    'admin:business_calendar.weeklyhours:history': E(GET=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/business_calendar/weeklyhours/<path:object_id>/history/
    'admin:business_calendar.weeklyhours:delete': E(GET=r(DENY)),  # admin/business_calendar/weeklyhours/<path:object_id>/delete/
    'admin:business_calendar.weeklyhours:change': E(GET=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/business_calendar/weeklyhours/<path:object_id>/change/
    'admin:business_calendar.weeklyhours:redirect': E(GET=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/business_calendar/weeklyhours/<path:object_id>/
    'admin:business_calendar.dateoverride:changelist': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/business_calendar/dateoverride/
    'admin:business_calendar.dateoverride:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/business_calendar/dateoverride/add/
    'admin:business_calendar.dateoverride:history': E(GET=r('?/?/?')),  # admin/business_calendar/dateoverride/<path:object_id>/history/
    'admin:business_calendar.dateoverride:delete': E(GET=r('?/?/?')),  # admin/business_calendar/dateoverride/<path:object_id>/delete/
    'admin:business_calendar.dateoverride:change': E(GET=r('?/?/?')),  # admin/business_calendar/dateoverride/<path:object_id>/change/
    'admin:business_calendar.dateoverride:redirect': E(GET=r('?/?/?')),  # admin/business_calendar/dateoverride/<path:object_id>/
    'admin:business_calendar.manualscheduleyear:changelist': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/business_calendar/manualscheduleyear/
    'admin:business_calendar.manualscheduleyear:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/business_calendar/manualscheduleyear/add/
    'admin:business_calendar.manualscheduleyear:history': E(GET=r('?/?/?')),  # admin/business_calendar/manualscheduleyear/<path:object_id>/history/
    'admin:business_calendar.manualscheduleyear:delete': E(GET=r('?/?/?')),  # admin/business_calendar/manualscheduleyear/<path:object_id>/delete/
    'admin:business_calendar.manualscheduleyear:change': E(GET=r('?/?/?')),  # admin/business_calendar/manualscheduleyear/<path:object_id>/change/
    'admin:business_calendar.manualscheduleyear:redirect': E(GET=r('?/?/?')),  # admin/business_calendar/manualscheduleyear/<path:object_id>/
    'admin:clocks.clockfiring:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/clocks/clockfiring/
    'admin:clocks.clockfiring:add': E(GET=r(DENY)),  # admin/clocks/clockfiring/add/
    'admin:clocks.clockfiring:history': E(GET=r('?/?/?')),  # admin/clocks/clockfiring/<path:object_id>/history/
    'admin:clocks.clockfiring:delete': E(GET=r('?/?/?')),  # admin/clocks/clockfiring/<path:object_id>/delete/
    'admin:clocks.clockfiring:change': E(GET=r('?/?/?')),  # admin/clocks/clockfiring/<path:object_id>/change/
    'admin:clocks.clockfiring:redirect': E(GET=r('?/?/?')),  # admin/clocks/clockfiring/<path:object_id>/
    'admin:notifications.notification:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/notifications/notification/
    'admin:notifications.notification:add': E(GET=r(DENY)),  # admin/notifications/notification/add/
    'admin:notifications.notification:history': E(GET=r(DENY, admin=ALL)),  # admin/notifications/notification/<path:object_id>/history/
    'admin:notifications.notification:delete': E(GET=r(DENY, admin=ALL)),  # admin/notifications/notification/<path:object_id>/delete/
    'admin:notifications.notification:change': E(GET=r(DENY, admin=ALL)),  # admin/notifications/notification/<path:object_id>/change/
    'admin:notifications.notification:redirect': E(GET=r(DENY, admin=ALL)),  # admin/notifications/notification/<path:object_id>/
    'admin:spares.receipt:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/receipt/
    'admin:spares.receipt:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/receipt/add/
    'admin:spares.receipt:history': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/receipt/<path:object_id>/history/
    'admin:spares.receipt:delete': E(GET=r(DENY)),  # admin/spares/receipt/<path:object_id>/delete/
    'admin:spares.receipt:change': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/receipt/<path:object_id>/change/
    'admin:spares.receipt:redirect': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/receipt/<path:object_id>/
    'admin:spares.transfer:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/transfer/
    'admin:spares.transfer:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/transfer/add/
    'admin:spares.transfer:history': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/transfer/<path:object_id>/history/
    'admin:spares.transfer:delete': E(GET=r(DENY)),  # admin/spares/transfer/<path:object_id>/delete/
    'admin:spares.transfer:change': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/transfer/<path:object_id>/change/
    'admin:spares.transfer:redirect': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/transfer/<path:object_id>/
    'admin:spares.requisition:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/requisition/
    'admin:spares.requisition:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/requisition/add/
    'admin:spares.requisition:history': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/requisition/<path:object_id>/history/
    'admin:spares.requisition:delete': E(GET=r(DENY)),  # admin/spares/requisition/<path:object_id>/delete/
    'admin:spares.requisition:change': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/requisition/<path:object_id>/change/
    'admin:spares.requisition:redirect': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/requisition/<path:object_id>/
    'admin:spares.stockreturn:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/stockreturn/
    'admin:spares.stockreturn:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/stockreturn/add/
    'admin:spares.stockreturn:history': E(GET=r('allow/?/?', dispatcher='deny/?/?', technician='deny/?/?', supervisor='deny/?/?', anonymous='deny/?/?')),  # admin/spares/stockreturn/<path:object_id>/history/
    'admin:spares.stockreturn:delete': E(GET=r('deny/?/?')),  # admin/spares/stockreturn/<path:object_id>/delete/
    'admin:spares.stockreturn:change': E(GET=r('allow/?/?', dispatcher='deny/?/?', technician='deny/?/?', supervisor='deny/?/?', anonymous='deny/?/?')),  # admin/spares/stockreturn/<path:object_id>/change/
    'admin:spares.stockreturn:redirect': E(GET=r('allow/?/?', dispatcher='deny/?/?', technician='deny/?/?', supervisor='deny/?/?', anonymous='deny/?/?')),  # admin/spares/stockreturn/<path:object_id>/
    'admin:spares.oldpartreturn:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/oldpartreturn/
    'admin:spares.oldpartreturn:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/oldpartreturn/add/
    'admin:spares.oldpartreturn:history': E(GET=r('allow/?/allow', dispatcher='deny/?/deny', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # admin/spares/oldpartreturn/<path:object_id>/history/
    'admin:spares.oldpartreturn:delete': E(GET=r('deny/?/deny')),  # admin/spares/oldpartreturn/<path:object_id>/delete/
    'admin:spares.oldpartreturn:change': E(GET=r('allow/?/allow', dispatcher='deny/?/deny', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # admin/spares/oldpartreturn/<path:object_id>/change/
    'admin:spares.oldpartreturn:redirect': E(GET=r('allow/?/allow', dispatcher='deny/?/deny', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # admin/spares/oldpartreturn/<path:object_id>/
    'admin:spares.writeoff:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/writeoff/
    'admin:spares.writeoff:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/writeoff/add/
    'admin:spares.writeoff:history': E(GET=r('allow/?/?', dispatcher='deny/?/?', technician='deny/?/?', supervisor='deny/?/?', anonymous='deny/?/?')),  # admin/spares/writeoff/<path:object_id>/history/
    'admin:spares.writeoff:delete': E(GET=r('deny/?/?')),  # admin/spares/writeoff/<path:object_id>/delete/
    'admin:spares.writeoff:change': E(GET=r('allow/?/?', dispatcher='deny/?/?', technician='deny/?/?', supervisor='deny/?/?', anonymous='deny/?/?')),  # admin/spares/writeoff/<path:object_id>/change/
    'admin:spares.writeoff:redirect': E(GET=r('allow/?/?', dispatcher='deny/?/?', technician='deny/?/?', supervisor='deny/?/?', anonymous='deny/?/?')),  # admin/spares/writeoff/<path:object_id>/
    'admin:spares.oldpartbatch:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/oldpartbatch/
    'admin:spares.oldpartbatch:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/oldpartbatch/add/
    'admin:spares.oldpartbatch:history': E(GET=r('?/?/?')),  # admin/spares/oldpartbatch/<path:object_id>/history/
    'admin:spares.oldpartbatch:delete': E(GET=r('?/?/?')),  # admin/spares/oldpartbatch/<path:object_id>/delete/
    'admin:spares.oldpartbatch:change': E(GET=r('?/?/?')),  # admin/spares/oldpartbatch/<path:object_id>/change/
    'admin:spares.oldpartbatch:redirect': E(GET=r('?/?/?')),  # admin/spares/oldpartbatch/<path:object_id>/
    'admin:spares_stocktake_count': E(GET=r('?/?/deny', warehouse_keeper='?/?/allow', manager='?/?/allow', general_manager='?/?/allow', finance='?/?/allow', admin='?/?/allow')),  # admin/spares/stocktake/<int:pk>/count/
    'admin:spares.stocktake:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/stocktake/
    'admin:spares.stocktake:add': E(GET=r(DENY, warehouse_keeper=ALLOW, station_head=ALLOW, admin=ALLOW)),  # admin/spares/stocktake/add/
    'admin:spares.stocktake:history': E(GET=r('?/?/deny', warehouse_keeper='?/?/allow', manager='?/?/allow', general_manager='?/?/allow', finance='?/?/allow', admin='?/?/allow')),  # admin/spares/stocktake/<path:object_id>/history/
    'admin:spares.stocktake:delete': E(GET=r('?/?/deny')),  # admin/spares/stocktake/<path:object_id>/delete/
    'admin:spares.stocktake:change': E(GET=r('?/?/deny', warehouse_keeper='?/?/allow', manager='?/?/allow', general_manager='?/?/allow', finance='?/?/allow', admin='?/?/allow')),  # admin/spares/stocktake/<path:object_id>/change/
    'admin:spares.stocktake:redirect': E(GET=r('?/?/deny', warehouse_keeper='?/?/allow', manager='?/?/allow', general_manager='?/?/allow', finance='?/?/allow', admin='?/?/allow')),  # admin/spares/stocktake/<path:object_id>/
    'admin:spares.outofstockregistration:changelist': E(GET=r(ALLOW, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/outofstockregistration/
    'admin:spares.outofstockregistration:add': E(GET=r(ALLOW, technician=DENY, supervisor=DENY, general_manager=DENY, finance=DENY, anonymous=DENY)),  # admin/spares/outofstockregistration/add/
    'admin:spares.outofstockregistration:history': E(GET=r('allow/?/allow', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # admin/spares/outofstockregistration/<path:object_id>/history/
    'admin:spares.outofstockregistration:delete': E(GET=r('deny/?/deny')),  # admin/spares/outofstockregistration/<path:object_id>/delete/
    'admin:spares.outofstockregistration:change': E(GET=r('allow/?/allow', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # admin/spares/outofstockregistration/<path:object_id>/change/
    'admin:spares.outofstockregistration:redirect': E(GET=r('allow/?/allow', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # admin/spares/outofstockregistration/<path:object_id>/
    'admin:spares.sparespolicy:changelist': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/spares/sparespolicy/
    'admin:spares.sparespolicy:add': E(GET=r(DENY)),  # admin/spares/sparespolicy/add/
    'admin:spares.sparespolicy:history': E(GET=r(DENY, manager=ALL, admin=ALL)),  # admin/spares/sparespolicy/<path:object_id>/history/
    'admin:spares.sparespolicy:delete': E(GET=r(DENY)),  # admin/spares/sparespolicy/<path:object_id>/delete/
    'admin:spares.sparespolicy:change': E(GET=r(DENY, manager=ALL, admin=ALL)),  # admin/spares/sparespolicy/<path:object_id>/change/
    'admin:spares.sparespolicy:redirect': E(GET=r(DENY, manager=ALL, admin=ALL)),  # admin/spares/sparespolicy/<path:object_id>/
    'admin:spares.part:changelist': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/spares/part/
    'admin:spares.part:add': E(GET=r(DENY, warehouse_keeper=ALLOW, admin=ALLOW)),  # admin/spares/part/add/
    'admin:spares.part:history': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/spares/part/<path:object_id>/history/
    'admin:spares.part:delete': E(GET=r(DENY)),  # admin/spares/part/<path:object_id>/delete/
    'admin:spares.part:change': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/spares/part/<path:object_id>/change/
    'admin:spares.part:redirect': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # admin/spares/part/<path:object_id>/
    'admin:spares.location:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/location/
    'admin:spares.location:add': E(GET=r(DENY, warehouse_keeper=ALLOW, admin=ALLOW)),  # admin/spares/location/add/
    'admin:spares.location:history': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, station_head=STATION, anonymous=DENY)),  # admin/spares/location/<path:object_id>/history/
    'admin:spares.location:delete': E(GET=r(DENY)),  # admin/spares/location/<path:object_id>/delete/
    'admin:spares.location:change': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, station_head=STATION, anonymous=DENY)),  # admin/spares/location/<path:object_id>/change/
    'admin:spares.location:redirect': E(GET=r(ALL, dispatcher=DENY, technician=DENY, supervisor=DENY, station_head=STATION, anonymous=DENY)),  # admin/spares/location/<path:object_id>/
    'admin:spares.stockbalance:changelist': E(GET=r(ALLOW, technician=DENY, anonymous=DENY)),  # admin/spares/stockbalance/
    'admin:spares.stockbalance:add': E(GET=r(DENY)),  # admin/spares/stockbalance/add/
    'admin:spares.stockbalance:history': E(GET=r(ALL, technician=DENY, station_head=STATION, anonymous=DENY)),  # admin/spares/stockbalance/<path:object_id>/history/
    'admin:spares.stockbalance:delete': E(GET=r(DENY)),  # admin/spares/stockbalance/<path:object_id>/delete/
    'admin:spares.stockbalance:change': E(GET=r(ALL, technician=DENY, station_head=STATION, anonymous=DENY)),  # admin/spares/stockbalance/<path:object_id>/change/
    'admin:spares.stockbalance:redirect': E(GET=r(ALL, technician=DENY, station_head=STATION, anonymous=DENY)),  # admin/spares/stockbalance/<path:object_id>/
    'admin:spares.stockmove:changelist': E(GET=r(ALLOW, dispatcher=DENY, technician=DENY, supervisor=DENY, anonymous=DENY)),  # admin/spares/stockmove/
    'admin:spares.stockmove:add': E(GET=r(DENY)),  # admin/spares/stockmove/add/
    'admin:spares.stockmove:history': E(GET=r('allow/allow/?', dispatcher='deny/deny/?', technician='deny/deny/?', supervisor='deny/deny/?', anonymous='deny/deny/?')),  # admin/spares/stockmove/<path:object_id>/history/
    'admin:spares.stockmove:delete': E(GET=r('deny/deny/?')),  # admin/spares/stockmove/<path:object_id>/delete/
    'admin:spares.stockmove:change': E(GET=r('allow/allow/?', dispatcher='deny/deny/?', technician='deny/deny/?', supervisor='deny/deny/?', anonymous='deny/deny/?')),  # admin/spares/stockmove/<path:object_id>/change/
    'admin:spares.stockmove:redirect': E(GET=r('allow/allow/?', dispatcher='deny/deny/?', technician='deny/deny/?', supervisor='deny/deny/?', anonymous='deny/deny/?')),  # admin/spares/stockmove/<path:object_id>/
    'admin:tickets.customer:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/customer/
    'admin:tickets.customer:add': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # admin/tickets/customer/add/
    'admin:tickets.customer:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/customer/<path:object_id>/history/
    'admin:tickets.customer:delete': E(GET=r(DENY, admin=ALL)),  # admin/tickets/customer/<path:object_id>/delete/
    'admin:tickets.customer:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/customer/<path:object_id>/change/
    'admin:tickets.customer:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/customer/<path:object_id>/
    'admin:tickets.unit:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/unit/
    'admin:tickets.unit:add': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # admin/tickets/unit/add/
    'admin:tickets.unit:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/unit/<path:object_id>/history/
    'admin:tickets.unit:delete': E(GET=r(DENY, admin=ALL)),  # admin/tickets/unit/<path:object_id>/delete/
    'admin:tickets.unit:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/unit/<path:object_id>/change/
    'admin:tickets.unit:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/unit/<path:object_id>/
    'admin:tickets.contract:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/contract/
    'admin:tickets.contract:add': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # admin/tickets/contract/add/
    'admin:tickets.contract:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/contract/<path:object_id>/history/
    'admin:tickets.contract:delete': E(GET=r(DENY, admin=ALL)),  # admin/tickets/contract/<path:object_id>/delete/
    'admin:tickets.contract:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/contract/<path:object_id>/change/
    'admin:tickets.contract:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/contract/<path:object_id>/
    'admin:tickets_ticket_register': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # admin/tickets/ticket/register/
    'admin:tickets_ticket_board': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/ticket/board/
    'admin:tickets_ticket_dispatch': E(GET=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL)),  # admin/tickets/ticket/<path:object_id>/dispatch/
    'admin:tickets_ticket_operation': E(GET=r(DENY)),  # admin/tickets/ticket/<path:object_id>/do/<str:name>/
    'admin:tickets.ticket:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/ticket/
    'admin:tickets.ticket:add': E(GET=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # admin/tickets/ticket/add/
    'admin:tickets.ticket:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/ticket/<path:object_id>/history/
    'admin:tickets.ticket:delete': E(GET=r(DENY)),  # admin/tickets/ticket/<path:object_id>/delete/
    'admin:tickets.ticket:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/ticket/<path:object_id>/change/
    'admin:tickets.ticket:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/ticket/<path:object_id>/
    'admin:tickets.slapolicy:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, finance=DENY, anonymous=DENY)),  # admin/tickets/slapolicy/
    'admin:tickets.slapolicy:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/tickets/slapolicy/add/
    'admin:tickets.slapolicy:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, finance=DENY, anonymous=DENY)),  # admin/tickets/slapolicy/<path:object_id>/history/
    'admin:tickets.slapolicy:delete': E(GET=r(DENY, admin=ALL)),  # admin/tickets/slapolicy/<path:object_id>/delete/
    'admin:tickets.slapolicy:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, finance=DENY, anonymous=DENY)),  # admin/tickets/slapolicy/<path:object_id>/change/
    'admin:tickets.slapolicy:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, finance=DENY, anonymous=DENY)),  # admin/tickets/slapolicy/<path:object_id>/
    'admin:tickets.warrantypolicy:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, finance=DENY, anonymous=DENY)),  # admin/tickets/warrantypolicy/
    'admin:tickets.warrantypolicy:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/tickets/warrantypolicy/add/
    'admin:tickets.warrantypolicy:history': E(GET=r('?/?/?')),  # admin/tickets/warrantypolicy/<path:object_id>/history/
    'admin:tickets.warrantypolicy:delete': E(GET=r('?/?/?')),  # admin/tickets/warrantypolicy/<path:object_id>/delete/
    'admin:tickets.warrantypolicy:change': E(GET=r('?/?/?')),  # admin/tickets/warrantypolicy/<path:object_id>/change/
    'admin:tickets.warrantypolicy:redirect': E(GET=r('?/?/?')),  # admin/tickets/warrantypolicy/<path:object_id>/
    'admin:tickets.workorder:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/workorder/
    'admin:tickets.workorder:add': E(GET=r(DENY)),  # admin/tickets/workorder/add/
    'admin:tickets.workorder:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/workorder/<path:object_id>/history/
    'admin:tickets.workorder:delete': E(GET=r(DENY)),  # admin/tickets/workorder/<path:object_id>/delete/
    'admin:tickets.workorder:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/workorder/<path:object_id>/change/
    'admin:tickets.workorder:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # admin/tickets/workorder/<path:object_id>/
    'admin:tickets.serviceitem:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/serviceitem/
    'admin:tickets.serviceitem:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/tickets/serviceitem/add/
    'admin:tickets.serviceitem:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/serviceitem/<path:object_id>/history/
    'admin:tickets.serviceitem:delete': E(GET=r(DENY, admin=ALL)),  # admin/tickets/serviceitem/<path:object_id>/delete/
    'admin:tickets.serviceitem:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/serviceitem/<path:object_id>/change/
    'admin:tickets.serviceitem:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/serviceitem/<path:object_id>/
    'admin:tickets.carryin:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/carryin/
    'admin:tickets.carryin:add': E(GET=r(DENY)),  # admin/tickets/carryin/add/
    'admin:tickets.carryin:history': E(GET=r('allow/?/?', technician='deny/?/?', warehouse_keeper='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # admin/tickets/carryin/<path:object_id>/history/
    'admin:tickets.carryin:delete': E(GET=r('deny/?/?')),  # admin/tickets/carryin/<path:object_id>/delete/
    'admin:tickets.carryin:change': E(GET=r('allow/?/?', technician='deny/?/?', warehouse_keeper='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # admin/tickets/carryin/<path:object_id>/change/
    'admin:tickets.carryin:redirect': E(GET=r('allow/?/?', technician='deny/?/?', warehouse_keeper='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # admin/tickets/carryin/<path:object_id>/
    'admin:tickets.factoryreturn:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/factoryreturn/
    'admin:tickets.factoryreturn:add': E(GET=r(DENY)),  # admin/tickets/factoryreturn/add/
    'admin:tickets.factoryreturn:history': E(GET=r('?/?/?')),  # admin/tickets/factoryreturn/<path:object_id>/history/
    'admin:tickets.factoryreturn:delete': E(GET=r('?/?/?')),  # admin/tickets/factoryreturn/<path:object_id>/delete/
    'admin:tickets.factoryreturn:change': E(GET=r('?/?/?')),  # admin/tickets/factoryreturn/<path:object_id>/change/
    'admin:tickets.factoryreturn:redirect': E(GET=r('?/?/?')),  # admin/tickets/factoryreturn/<path:object_id>/
    'admin:tickets.compensation:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/tickets/compensation/
    'admin:tickets.compensation:add': E(GET=r(DENY)),  # admin/tickets/compensation/add/
    'admin:tickets.compensation:history': E(GET=r('allow/?/?', technician='deny/?/?', warehouse_keeper='deny/?/?', anonymous='deny/?/?')),  # admin/tickets/compensation/<path:object_id>/history/
    'admin:tickets.compensation:delete': E(GET=r('deny/?/?')),  # admin/tickets/compensation/<path:object_id>/delete/
    'admin:tickets.compensation:change': E(GET=r('allow/?/?', technician='deny/?/?', warehouse_keeper='deny/?/?', anonymous='deny/?/?')),  # admin/tickets/compensation/<path:object_id>/change/
    'admin:tickets.compensation:redirect': E(GET=r('allow/?/?', technician='deny/?/?', warehouse_keeper='deny/?/?', anonymous='deny/?/?')),  # admin/tickets/compensation/<path:object_id>/
    'admin:visits.visitpolicy:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/visitpolicy/
    'admin:visits.visitpolicy:add': E(GET=r(DENY)),  # admin/visits/visitpolicy/add/
    'admin:visits.visitpolicy:history': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visitpolicy/<path:object_id>/history/
    'admin:visits.visitpolicy:delete': E(GET=r(DENY)),  # admin/visits/visitpolicy/<path:object_id>/delete/
    'admin:visits.visitpolicy:change': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visitpolicy/<path:object_id>/change/
    'admin:visits.visitpolicy:redirect': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visitpolicy/<path:object_id>/
    'admin:visits_visitplan_plan_month': E(GET=r(DENY, station_head=ALLOW, manager=ALLOW, admin=ALLOW)),  # admin/visits/visitplan/plan-month/
    'admin:visits.visitplan:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/visitplan/
    'admin:visits.visitplan:add': E(GET=r(DENY)),  # admin/visits/visitplan/add/
    'admin:visits.visitplan:history': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visitplan/<path:object_id>/history/
    'admin:visits.visitplan:delete': E(GET=r(DENY)),  # admin/visits/visitplan/<path:object_id>/delete/
    'admin:visits.visitplan:change': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visitplan/<path:object_id>/change/
    'admin:visits.visitplan:redirect': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visitplan/<path:object_id>/
    'admin:visits.visit:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/visit/
    'admin:visits.visit:add': E(GET=r(DENY)),  # admin/visits/visit/add/
    'admin:visits.visit:history': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visit/<path:object_id>/history/
    'admin:visits.visit:delete': E(GET=r(DENY)),  # admin/visits/visit/<path:object_id>/delete/
    'admin:visits.visit:change': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visit/<path:object_id>/change/
    'admin:visits.visit:redirect': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/visit/<path:object_id>/
    'admin:visits_renewaltask_open_due': E(GET=r(DENY)),  # admin/visits/renewaltask/open-due/
    'admin:visits_renewaltask_close': E(GET=r(DENY, dispatcher=ALL, station_head=ALL, manager=ALL, admin=ALL)),  # admin/visits/renewaltask/<int:pk>/close/
    'admin:visits.renewaltask:changelist': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/visits/renewaltask/
    'admin:visits.renewaltask:add': E(GET=r(DENY)),  # admin/visits/renewaltask/add/
    'admin:visits.renewaltask:history': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/visits/renewaltask/<path:object_id>/history/
    'admin:visits.renewaltask:delete': E(GET=r(DENY)),  # admin/visits/renewaltask/<path:object_id>/delete/
    'admin:visits.renewaltask:change': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/visits/renewaltask/<path:object_id>/change/
    'admin:visits.renewaltask:redirect': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/visits/renewaltask/<path:object_id>/
    'admin:visits.reminder:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/reminder/
    'admin:visits.reminder:add': E(GET=r(DENY)),  # admin/visits/reminder/add/
    'admin:visits.reminder:history': E(GET=r('?/?/?')),  # admin/visits/reminder/<path:object_id>/history/
    'admin:visits.reminder:delete': E(GET=r('?/?/?')),  # admin/visits/reminder/<path:object_id>/delete/
    'admin:visits.reminder:change': E(GET=r('?/?/?')),  # admin/visits/reminder/<path:object_id>/change/
    'admin:visits.reminder:redirect': E(GET=r('?/?/?')),  # admin/visits/reminder/<path:object_id>/
    'admin:visits.callbackplan:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/callbackplan/
    'admin:visits.callbackplan:add': E(GET=r(DENY, manager=ALLOW, admin=ALLOW)),  # admin/visits/callbackplan/add/
    'admin:visits.callbackplan:history': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/callbackplan/<path:object_id>/history/
    'admin:visits.callbackplan:delete': E(GET=r(DENY)),  # admin/visits/callbackplan/<path:object_id>/delete/
    'admin:visits.callbackplan:change': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/callbackplan/<path:object_id>/change/
    'admin:visits.callbackplan:redirect': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/callbackplan/<path:object_id>/
    'admin:visits.callbackquota:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/callbackquota/
    'admin:visits.callbackquota:add': E(GET=r(DENY)),  # admin/visits/callbackquota/add/
    'admin:visits.callbackquota:history': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/callbackquota/<path:object_id>/history/
    'admin:visits.callbackquota:delete': E(GET=r(DENY)),  # admin/visits/callbackquota/<path:object_id>/delete/
    'admin:visits.callbackquota:change': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/callbackquota/<path:object_id>/change/
    'admin:visits.callbackquota:redirect': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/visits/callbackquota/<path:object_id>/
    'admin:visits.callback:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/visits/callback/
    'admin:visits.callback:add': E(GET=r(DENY)),  # admin/visits/callback/add/
    'admin:visits.callback:history': E(GET=r('deny/deny/?', supervisor='allow/allow/?', station_head='allow/allow/?', manager='allow/allow/?', general_manager='allow/allow/?', admin='allow/allow/?')),  # admin/visits/callback/<path:object_id>/history/
    'admin:visits.callback:delete': E(GET=r('deny/deny/?')),  # admin/visits/callback/<path:object_id>/delete/
    'admin:visits.callback:change': E(GET=r('deny/deny/?', supervisor='allow/allow/?', station_head='allow/allow/?', manager='allow/allow/?', general_manager='allow/allow/?', admin='allow/allow/?')),  # admin/visits/callback/<path:object_id>/change/
    'admin:visits.callback:redirect': E(GET=r('deny/deny/?', supervisor='allow/allow/?', station_head='allow/allow/?', manager='allow/allow/?', general_manager='allow/allow/?', admin='allow/allow/?')),  # admin/visits/callback/<path:object_id>/
    'admin:appraisal.backuprules:changelist': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/backuprules/
    'admin:appraisal.backuprules:add': E(GET=r(DENY)),  # admin/appraisal/backuprules/add/
    'admin:appraisal.backuprules:history': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backuprules/<path:object_id>/history/
    'admin:appraisal.backuprules:delete': E(GET=r(DENY)),  # admin/appraisal/backuprules/<path:object_id>/delete/
    'admin:appraisal.backuprules:change': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backuprules/<path:object_id>/change/
    'admin:appraisal.backuprules:redirect': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backuprules/<path:object_id>/
    'admin:appraisal_backupsubmission_download': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupsubmission/<int:pk>/download/
    'admin:appraisal.backupsubmission:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/backupsubmission/
    'admin:appraisal.backupsubmission:add': E(GET=r(DENY)),  # admin/appraisal/backupsubmission/add/
    'admin:appraisal.backupsubmission:history': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupsubmission/<path:object_id>/history/
    'admin:appraisal.backupsubmission:delete': E(GET=r(DENY)),  # admin/appraisal/backupsubmission/<path:object_id>/delete/
    'admin:appraisal.backupsubmission:change': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupsubmission/<path:object_id>/change/
    'admin:appraisal.backupsubmission:redirect': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupsubmission/<path:object_id>/
    'admin:appraisal.backupcheck:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/backupcheck/
    'admin:appraisal.backupcheck:add': E(GET=r(DENY)),  # admin/appraisal/backupcheck/add/
    'admin:appraisal.backupcheck:history': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupcheck/<path:object_id>/history/
    'admin:appraisal.backupcheck:delete': E(GET=r(DENY)),  # admin/appraisal/backupcheck/<path:object_id>/delete/
    'admin:appraisal.backupcheck:change': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupcheck/<path:object_id>/change/
    'admin:appraisal.backupcheck:redirect': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupcheck/<path:object_id>/
    'admin:appraisal.backupcheckentry:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/backupcheckentry/
    'admin:appraisal.backupcheckentry:add': E(GET=r(DENY)),  # admin/appraisal/backupcheckentry/add/
    'admin:appraisal.backupcheckentry:history': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupcheckentry/<path:object_id>/history/
    'admin:appraisal.backupcheckentry:delete': E(GET=r(DENY)),  # admin/appraisal/backupcheckentry/<path:object_id>/delete/
    'admin:appraisal.backupcheckentry:change': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupcheckentry/<path:object_id>/change/
    'admin:appraisal.backupcheckentry:redirect': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupcheckentry/<path:object_id>/
    'admin:appraisal.backupdeduction:changelist': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/backupdeduction/
    'admin:appraisal.backupdeduction:add': E(GET=r(DENY)),  # admin/appraisal/backupdeduction/add/
    'admin:appraisal.backupdeduction:history': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupdeduction/<path:object_id>/history/
    'admin:appraisal.backupdeduction:delete': E(GET=r(DENY)),  # admin/appraisal/backupdeduction/<path:object_id>/delete/
    'admin:appraisal.backupdeduction:change': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupdeduction/<path:object_id>/change/
    'admin:appraisal.backupdeduction:redirect': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/backupdeduction/<path:object_id>/
    'admin:appraisal.backupdownload:changelist': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/backupdownload/
    'admin:appraisal.backupdownload:add': E(GET=r(DENY)),  # admin/appraisal/backupdownload/add/
    'admin:appraisal.backupdownload:history': E(GET=r('?/?/?')),  # admin/appraisal/backupdownload/<path:object_id>/history/
    'admin:appraisal.backupdownload:delete': E(GET=r('?/?/?')),  # admin/appraisal/backupdownload/<path:object_id>/delete/
    'admin:appraisal.backupdownload:change': E(GET=r('?/?/?')),  # admin/appraisal/backupdownload/<path:object_id>/change/
    'admin:appraisal.backupdownload:redirect': E(GET=r('?/?/?')),  # admin/appraisal/backupdownload/<path:object_id>/
    'admin:appraisal.borrowrequest:changelist': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/borrowrequest/
    'admin:appraisal.borrowrequest:add': E(GET=r(DENY)),  # admin/appraisal/borrowrequest/add/
    'admin:appraisal.borrowrequest:history': E(GET=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # admin/appraisal/borrowrequest/<path:object_id>/history/
    'admin:appraisal.borrowrequest:delete': E(GET=r('deny/?/?')),  # admin/appraisal/borrowrequest/<path:object_id>/delete/
    'admin:appraisal.borrowrequest:change': E(GET=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # admin/appraisal/borrowrequest/<path:object_id>/change/
    'admin:appraisal.borrowrequest:redirect': E(GET=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # admin/appraisal/borrowrequest/<path:object_id>/
    'admin:appraisal.scorecardconfig:changelist': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/scorecardconfig/
    'admin:appraisal.scorecardconfig:add': E(GET=r(DENY, admin=ALLOW)),  # admin/appraisal/scorecardconfig/add/
    'admin:appraisal.scorecardconfig:history': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecardconfig/<path:object_id>/history/
    'admin:appraisal.scorecardconfig:delete': E(GET=r(DENY)),  # admin/appraisal/scorecardconfig/<path:object_id>/delete/
    'admin:appraisal.scorecardconfig:change': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecardconfig/<path:object_id>/change/
    'admin:appraisal.scorecardconfig:redirect': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecardconfig/<path:object_id>/
    'admin:appraisal.scorecardmonth:changelist': E(GET=r(DENY, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/scorecardmonth/
    'admin:appraisal.scorecardmonth:add': E(GET=r(DENY)),  # admin/appraisal/scorecardmonth/add/
    'admin:appraisal.scorecardmonth:history': E(GET=r(DENY, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecardmonth/<path:object_id>/history/
    'admin:appraisal.scorecardmonth:delete': E(GET=r(DENY)),  # admin/appraisal/scorecardmonth/<path:object_id>/delete/
    'admin:appraisal.scorecardmonth:change': E(GET=r(DENY, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecardmonth/<path:object_id>/change/
    'admin:appraisal.scorecardmonth:redirect': E(GET=r(DENY, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecardmonth/<path:object_id>/
    'admin:appraisal.scorecard:changelist': E(GET=r(DENY, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/scorecard/
    'admin:appraisal.scorecard:add': E(GET=r(DENY)),  # admin/appraisal/scorecard/add/
    'admin:appraisal.scorecard:history': E(GET=r(DENY, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecard/<path:object_id>/history/
    'admin:appraisal.scorecard:delete': E(GET=r(DENY)),  # admin/appraisal/scorecard/<path:object_id>/delete/
    'admin:appraisal.scorecard:change': E(GET=r(DENY, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecard/<path:object_id>/change/
    'admin:appraisal.scorecard:redirect': E(GET=r(DENY, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # admin/appraisal/scorecard/<path:object_id>/
    'admin:appraisal.feedbackscore:changelist': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # admin/appraisal/feedbackscore/
    'admin:appraisal.feedbackscore:add': E(GET=r(DENY)),  # admin/appraisal/feedbackscore/add/
    'admin:appraisal.feedbackscore:history': E(GET=r('?/?/?')),  # admin/appraisal/feedbackscore/<path:object_id>/history/
    'admin:appraisal.feedbackscore:delete': E(GET=r('?/?/?')),  # admin/appraisal/feedbackscore/<path:object_id>/delete/
    'admin:appraisal.feedbackscore:change': E(GET=r('?/?/?')),  # admin/appraisal/feedbackscore/<path:object_id>/change/
    'admin:appraisal.feedbackscore:redirect': E(GET=r('?/?/?')),  # admin/appraisal/feedbackscore/<path:object_id>/
    'admin:auth.group:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/auth/group/
    'admin:auth.group:add': E(GET=r(DENY, admin=ALLOW)),  # admin/auth/group/add/
    'admin:auth.group:history': E(GET=r('deny/deny/?', admin='allow/allow/?')),  # admin/auth/group/<path:object_id>/history/
    'admin:auth.group:delete': E(GET=r('deny/deny/?', admin='allow/allow/?')),  # admin/auth/group/<path:object_id>/delete/
    'admin:auth.group:change': E(GET=r('deny/deny/?', admin='allow/allow/?')),  # admin/auth/group/<path:object_id>/change/
    'admin:auth.group:redirect': E(GET=r('deny/deny/?', admin='allow/allow/?')),  # admin/auth/group/<path:object_id>/
    'admin:auth_user_password_change': E(GET=r(DENY)),  # admin/auth/user/<id>/password/
    'admin:auth.user:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/auth/user/
    'admin:auth.user:add': E(GET=r(DENY, admin=ALLOW)),  # admin/auth/user/add/
    'admin:auth.user:history': E(GET=r(DENY, admin=ALL)),  # admin/auth/user/<path:object_id>/history/
    'admin:auth.user:delete': E(GET=r(DENY, admin=ALL)),  # admin/auth/user/<path:object_id>/delete/
    'admin:auth.user:change': E(GET=r(DENY, admin=ALL)),  # admin/auth/user/<path:object_id>/change/
    'admin:auth.user:redirect': E(GET=r(DENY, admin=ALL)),  # admin/auth/user/<path:object_id>/
    'admin:authtoken.tokenproxy:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/authtoken/tokenproxy/
    'admin:authtoken.tokenproxy:add': E(GET=r(DENY, admin=ALLOW)),  # admin/authtoken/tokenproxy/add/
    'admin:authtoken.tokenproxy:history': E(GET=r('?/?/?')),  # admin/authtoken/tokenproxy/<path:object_id>/history/
    'admin:authtoken.tokenproxy:delete': E(GET=r('?/?/?')),  # admin/authtoken/tokenproxy/<path:object_id>/delete/
    'admin:authtoken.tokenproxy:change': E(GET=r('?/?/?')),  # admin/authtoken/tokenproxy/<path:object_id>/change/
    'admin:authtoken.tokenproxy:redirect': E(GET=r('?/?/?')),  # admin/authtoken/tokenproxy/<path:object_id>/
    'admin:axes.accessattempt:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/axes/accessattempt/
    'admin:axes.accessattempt:add': E(GET=r(DENY)),  # admin/axes/accessattempt/add/
    'admin:axes.accessattempt:history': E(GET=r('?/?/?')),  # admin/axes/accessattempt/<path:object_id>/history/
    'admin:axes.accessattempt:delete': E(GET=r('?/?/?')),  # admin/axes/accessattempt/<path:object_id>/delete/
    'admin:axes.accessattempt:change': E(GET=r('?/?/?')),  # admin/axes/accessattempt/<path:object_id>/change/
    'admin:axes.accessattempt:redirect': E(GET=r('?/?/?')),  # admin/axes/accessattempt/<path:object_id>/
    'admin:axes.accesslog:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/axes/accesslog/
    'admin:axes.accesslog:add': E(GET=r(DENY)),  # admin/axes/accesslog/add/
    'admin:axes.accesslog:history': E(GET=r(DENY, admin=ALL)),  # admin/axes/accesslog/<path:object_id>/history/
    'admin:axes.accesslog:delete': E(GET=r(DENY, admin=ALL)),  # admin/axes/accesslog/<path:object_id>/delete/
    'admin:axes.accesslog:change': E(GET=r(DENY, admin=ALL)),  # admin/axes/accesslog/<path:object_id>/change/
    'admin:axes.accesslog:redirect': E(GET=r(DENY, admin=ALL)),  # admin/axes/accesslog/<path:object_id>/
    'admin:axes.accessfailurelog:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/axes/accessfailurelog/
    'admin:axes.accessfailurelog:add': E(GET=r(DENY)),  # admin/axes/accessfailurelog/add/
    'admin:axes.accessfailurelog:history': E(GET=r('?/?/?')),  # admin/axes/accessfailurelog/<path:object_id>/history/
    'admin:axes.accessfailurelog:delete': E(GET=r('?/?/?')),  # admin/axes/accessfailurelog/<path:object_id>/delete/
    'admin:axes.accessfailurelog:change': E(GET=r('?/?/?')),  # admin/axes/accessfailurelog/<path:object_id>/change/
    'admin:axes.accessfailurelog:redirect': E(GET=r('?/?/?')),  # admin/axes/accessfailurelog/<path:object_id>/
    'admin:pghistory.events:changelist': E(GET=r(DENY, admin=ALLOW)),  # admin/pghistory/events/
    'admin:pghistory.events:add': E(GET=r(DENY)),  # admin/pghistory/events/add/
    'admin:pghistory.events:history': E(GET=r('?/?/?')),  # admin/pghistory/events/<path:object_id>/history/
    'admin:pghistory.events:delete': E(GET=r('?/?/?')),  # admin/pghistory/events/<path:object_id>/delete/
    'admin:pghistory.events:change': E(GET=r('?/?/?')),  # admin/pghistory/events/<path:object_id>/change/
    'admin:pghistory.events:redirect': E(GET=r('?/?/?')),  # admin/pghistory/events/<path:object_id>/
    'admin:app_list': E(GET=r(ALLOW, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # admin/^(?P<app_label>core|org|business_calendar|clocks|notifications|spares|tickets|visits|appraisal|auth|authtoken|axes|pghistory)/$
    'admin/(?P<url>.*)$': E(GET=r(DENY)),  # admin/(?P<url>.*)$

    # --- pages: tablet, visits, callbacks, appraisal, reports, homes, health, sign-in -------------
    'set_language': E(GET=r(ALLOW, anonymous=DENY)),  # i18n/setlang/

    # --- the API (/api/v1/) ----------------------------------------------------------------------
    'api-me': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/me/
    'api-token': E(GET=r(ALLOW)),  # api/<str:version>/auth/token/
    'station-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^stations/$
    'station-detail': E(GET=r('allow/?/allow', technician='allow/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # api/<str:version>/^stations/(?P<pk>[^/.]+)/$
    'staff-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^staff/$
    'staff-detail': E(GET=r(ALL, technician=OWN, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^staff/(?P<pk>[^/.]+)/$
    'productline-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^product-lines/$
    'productline-detail': E(GET=r(ALL, anonymous=DENY)),  # api/<str:version>/^product-lines/(?P<pk>[^/.]+)/$
    'notification-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^notifications/$
    'notification-mark-read': E(POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^notifications/mark-read/$
    'notification-detail': E(GET=r(DENY, technician=OWN)),  # api/<str:version>/^notifications/(?P<pk>[^/.]+)/$
    'appraisal-backup-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/backups/$
    'appraisal-backup-detail': E(GET=r(DENY, technician=OWN, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/backups/(?P<pk>[^/.]+)/$
    'appraisal-backup-download': E(GET=r(DENY, technician=OWN, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/backups/(?P<pk>[^/.]+)/download/$
    'appraisal-backup-mark-incomplete': E(POST=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/backups/(?P<pk>[^/.]+)/mark-incomplete/$
    'appraisal-backup-check-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/backup-checks/$
    'appraisal-backup-check-run': E(POST=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^appraisal/backup-checks/run/$
    'appraisal-backup-check-detail': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/backup-checks/(?P<pk>[^/.]+)/$
    'appraisal-backup-entry-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/backup-check-entries/$
    'appraisal-backup-entry-detail': E(GET=r(DENY, technician=OWN, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/backup-check-entries/(?P<pk>[^/.]+)/$
    'appraisal-backup-deduction-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/backup-deductions/$
    'appraisal-backup-deduction-detail': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/backup-deductions/(?P<pk>[^/.]+)/$
    'appraisal-borrow-request-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/borrow-requests/$
    'appraisal-borrow-request-detail': E(GET=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # api/<str:version>/^appraisal/borrow-requests/(?P<pk>[^/.]+)/$
    'appraisal-borrow-request-approve': E(POST=r('deny/?/?', manager='allow/?/?')),  # api/<str:version>/^appraisal/borrow-requests/(?P<pk>[^/.]+)/approve/$
    'appraisal-borrow-request-cancel': E(POST=r('deny/?/?')),  # api/<str:version>/^appraisal/borrow-requests/(?P<pk>[^/.]+)/cancel/$
    'appraisal-borrow-request-download': E(GET=r('deny/?/?')),  # api/<str:version>/^appraisal/borrow-requests/(?P<pk>[^/.]+)/download/$
    'appraisal-borrow-request-reject': E(POST=r('deny/?/?', manager='allow/?/?')),  # api/<str:version>/^appraisal/borrow-requests/(?P<pk>[^/.]+)/reject/$
    'appraisal-scorecard-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/scorecards/$
    'appraisal-scorecard-detail': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecards/(?P<pk>[^/.]+)/$
    'appraisal-scorecard-adjust': E(POST=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecards/(?P<pk>[^/.]+)/adjust/$
    'appraisal-scorecard-month-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/scorecard-months/$
    'appraisal-scorecard-month-draft': E(POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/scorecard-months/draft/$
    'appraisal-scorecard-month-detail': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecard-months/(?P<pk>[^/.]+)/$
    'appraisal-scorecard-month-publish': E(POST=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecard-months/(?P<pk>[^/.]+)/publish/$
    'appraisal-scorecard-month-reopen': E(POST=r(DENY, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecard-months/(?P<pk>[^/.]+)/reopen/$
    'appraisal-scorecard-month-review': E(POST=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecard-months/(?P<pk>[^/.]+)/review/$
    'appraisal-scorecard-config-list': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^appraisal/scorecard-configs/$
    'appraisal-scorecard-config-detail': E(GET=r(DENY, manager=ALL, general_manager=ALL, admin=ALL), PATCH=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^appraisal/scorecard-configs/(?P<pk>[^/.]+)/$
    'appraisal-feedback-form-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^appraisal/feedback-forms/$
    'appraisal-feedback-form-detail': E(GET=r('?/?/?')),  # api/<str:version>/^appraisal/feedback-forms/(?P<pk>[^/.]+)/$
    'appraisal-feedback-form-score': E(POST=r('?/?/?')),  # api/<str:version>/^appraisal/feedback-forms/(?P<pk>[^/.]+)/score/$
    'api-root': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/reports/
    'customer-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY), POST=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^customers/$
    'customer-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY), PATCH=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL), DELETE=r(DENY, admin=ALL)),  # api/<str:version>/^customers/(?P<pk>[^/.]+)/$
    'contact-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY), POST=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^contacts/$
    'contact-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY), PATCH=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL), DELETE=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL)),  # api/<str:version>/^contacts/(?P<pk>[^/.]+)/$
    'unit-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY), POST=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^units/$
    'unit-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY), PATCH=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL), DELETE=r(DENY, admin=ALL)),  # api/<str:version>/^units/(?P<pk>[^/.]+)/$
    'unit-history': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^units/(?P<pk>[^/.]+)/history/$
    'unit-warranty-check': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^units/(?P<pk>[^/.]+)/warranty-check/$
    'contract-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY), POST=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^contracts/$
    'contract-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY), PATCH=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL), DELETE=r(DENY, admin=ALL)),  # api/<str:version>/^contracts/(?P<pk>[^/.]+)/$
    'ticket-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY), POST=r(DENY, dispatcher=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^tickets/$
    'ticket-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY), PATCH=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/$
    'ticket-classify': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/classify/$
    'ticket-clocks': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/clocks/$
    'ticket-close': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/close/$
    'ticket-dispatch': E(POST=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/dispatch/$
    'ticket-escalate': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/escalate/$
    'ticket-hold': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/hold/$
    'ticket-log': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY), POST=r(ALL, technician=DENY, warehouse_keeper=DENY, station_head=DENY, finance=DENY, anonymous=DENY)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/log/$
    'ticket-plan': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/plan/$
    'ticket-reply': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/reply/$
    'ticket-resume': E(POST=r(DENY, dispatcher=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/resume/$
    'ticket-suggestions': E(GET=r(DENY, dispatcher=ALL, manager=ALL, admin=ALL)),  # api/<str:version>/^tickets/(?P<pk>[^/.]+)/suggestions/$
    'clock-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY)),  # api/<str:version>/^clocks/$
    'clock-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^clocks/(?P<pk>[^/.]+)/$
    'workorder-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/$
    'workorder-verify': E(GET=r(DENY, supervisor=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^work-orders/verify/$
    'workorder-detail': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/$
    'workorder-accept': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/accept/$
    'workorder-add-item': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/items/$
    'workorder-add-old-part': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/old-parts/$
    'workorder-add-part': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/parts/$
    'workorder-arrive': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/arrive/$
    'workorder-cancel': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/cancel/$
    'workorder-checklist': E(POST=r(DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/items/(?P<item_id>\d+)/checklist/$
    'workorder-complete': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/complete/$
    'workorder-confirm-appointment': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/confirm-appointment/$
    'workorder-confirm-price': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/confirm-price/$
    'workorder-correct': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/correct/$
    'workorder-hold': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/hold/$
    'workorder-photo-image': E(GET=r(DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/photos/(?P<photo_id>\d+)/image/$
    'workorder-photos': E(POST=r(ALL, warehouse_keeper=DENY, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/photos/$
    'workorder-remove-item': E(POST=r(DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/items/(?P<item_id>\d+)/remove/$
    'workorder-remove-old-part': E(POST=r(DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/old-parts/(?P<line_id>\d+)/remove/$
    'workorder-remove-part': E(POST=r(DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/parts/(?P<line_id>\d+)/remove/$
    'workorder-report': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/report/$
    'workorder-resume': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/resume/$
    'workorder-review': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/review/$
    'workorder-rework': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/rework/$
    'workorder-sign': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/sign/$
    'workorder-signature-image': E(GET=r(OWN, warehouse_keeper=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/signature/image/$
    'workorder-start': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/start/$
    'workorder-verify-one': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # api/<str:version>/^work-orders/(?P<pk>[^/.]+)/verify/$
    'serviceitem-list': E(GET=r(ALLOW, warehouse_keeper=DENY, anonymous=DENY)),  # api/<str:version>/^service-items/$
    'serviceitem-detail': E(GET=r(ALL, warehouse_keeper=DENY, anonymous=DENY)),  # api/<str:version>/^service-items/(?P<pk>[^/.]+)/$
    'api-daily-report-technician': E(GET=r(DENY, technician=ALLOW)),  # api/<str:version>/daily-reports/technician/
    'api-daily-report-supervisor': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW)),  # api/<str:version>/daily-reports/supervisor/
    'carry-in-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^carry-ins/$
    'carry-in-detail': E(GET=r('allow/?/?', technician='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/$
    'carry-in-factory-return': E(POST=r('allow/?/?', technician='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/factory-return/$
    'carry-in-finish-repair': E(POST=r('allow/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/finish-repair/$
    'carry-in-hand-back': E(POST=r('allow/?/?', technician='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/hand-back/$
    'carry-in-inspect': E(POST=r('allow/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/inspect/$
    'carry-in-ship': E(POST=r('allow/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/ship/$
    'carry-in-start-repair': E(POST=r('allow/?/?', technician='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^carry-ins/(?P<pk>[^/.]+)/start-repair/$
    'factory-return-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^factory-returns/$
    'factory-return-detail': E(GET=r('?/?/?')),  # api/<str:version>/^factory-returns/(?P<pk>[^/.]+)/$
    'factory-return-back': E(POST=r('?/?/?')),  # api/<str:version>/^factory-returns/(?P<pk>[^/.]+)/back/$
    'factory-return-decide': E(POST=r('?/?/?')),  # api/<str:version>/^factory-returns/(?P<pk>[^/.]+)/decide/$
    'compensation-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^compensations/$
    'compensation-detail': E(GET=r('allow/?/?', technician='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^compensations/(?P<pk>[^/.]+)/$
    'compensation-approve': E(POST=r('allow/?/?', technician='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^compensations/(?P<pk>[^/.]+)/approve/$
    'compensation-reject': E(POST=r('allow/?/?', technician='deny/?/?', anonymous='deny/?/?')),  # api/<str:version>/^compensations/(?P<pk>[^/.]+)/reject/$
    'api-visits-progress': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/visits/progress/
    'api-visits-callback-quotas': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/visits/callback-quotas/
    'visits-visit-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(DENY, technician=ALLOW, station_head=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^visits/visits/$
    'visits-visit-plan': E(POST=r(DENY, technician=ALLOW, station_head=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^visits/visits/plan/$
    'visits-visit-detail': E(GET=r(DENY, technician=OWN, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^visits/visits/(?P<pk>[^/.]+)/$
    'visits-visit-cancel': E(POST=r(DENY, technician=OWN, station_head=STATION, manager=ALL, admin=ALL)),  # api/<str:version>/^visits/visits/(?P<pk>[^/.]+)/cancel/$
    'visits-visit-record': E(POST=r(DENY, technician=OWN, station_head=STATION, manager=ALL, admin=ALL)),  # api/<str:version>/^visits/visits/(?P<pk>[^/.]+)/record/$
    'visits-plan-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(DENY, station_head=ALLOW, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^visits/plans/$
    'visits-plan-detail': E(GET=r(DENY, technician=OWN, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL), PATCH=r(DENY, station_head=STATION, manager=ALL, admin=ALL)),  # api/<str:version>/^visits/plans/(?P<pk>[^/.]+)/$
    'visits-renewal-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^visits/renewals/$
    'visits-renewal-detail': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # api/<str:version>/^visits/renewals/(?P<pk>[^/.]+)/$
    'visits-renewal-close': E(POST=r(DENY, dispatcher=ALL, station_head=ALL, manager=ALL, admin=ALL)),  # api/<str:version>/^visits/renewals/(?P<pk>[^/.]+)/close/$
    'visits-renewal-notice': E(POST=r(DENY, dispatcher=ALL, station_head=ALL, manager=ALL, admin=ALL)),  # api/<str:version>/^visits/renewals/(?P<pk>[^/.]+)/notice/$
    'visits-callback-plan-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(DENY, manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^visits/callback-plans/$
    'visits-callback-plan-detail': E(GET=r(DENY, supervisor=ALL, station_head=ALL, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/^visits/callback-plans/(?P<pk>[^/.]+)/$
    'visits-callback-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/^visits/callbacks/$
    'visits-callback-spot-check': E(POST=r(DENY, supervisor=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/^visits/callbacks/spot-check/$
    'visits-callback-detail': E(GET=r('allow/allow/?', dispatcher='deny/deny/?', technician='allow/deny/?', warehouse_keeper='deny/deny/?', finance='deny/deny/?', anonymous='deny/deny/?')),  # api/<str:version>/^visits/callbacks/(?P<pk>[^/.]+)/$
    'visits-callback-attempts': E(GET=r('allow/allow/?', dispatcher='deny/deny/?', technician='allow/deny/?', warehouse_keeper='deny/deny/?', finance='deny/deny/?', anonymous='deny/deny/?')),  # api/<str:version>/^visits/callbacks/(?P<pk>[^/.]+)/attempts/$
    'visits-callback-record': E(POST=r('deny/deny/?', supervisor='allow/allow/?', manager='allow/allow/?', general_manager='allow/allow/?', admin='allow/allow/?')),  # api/<str:version>/^visits/callbacks/(?P<pk>[^/.]+)/record/$
    'spares-part-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^parts/$
    'spares-part-detail': E(GET=r(ALL, anonymous=DENY), PATCH=r(DENY, warehouse_keeper=ALL, admin=ALL)),  # api/<str:version>/spares/^parts/(?P<pk>[^/.]+)/$
    'spares-location-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^locations/$
    'spares-location-detail': E(GET=r(ALL, technician=OWN, station_head=STATION, anonymous=DENY), PATCH=r(DENY, warehouse_keeper=ALL, admin=ALL)),  # api/<str:version>/spares/^locations/(?P<pk>[^/.]+)/$
    'spares-stock-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^stock/$
    'spares-stock-export': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^stock/export/$
    'spares-stock-detail': E(GET=r(ALL, technician=STATION, station_head=STATION, anonymous=DENY)),  # api/<str:version>/spares/^stock/(?P<pk>[^/.]+)/$
    'spares-move-list': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^moves/$
    'spares-move-export': E(GET=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^moves/export/$
    'spares-move-detail': E(GET=r('allow/allow/?', anonymous='deny/deny/?')),  # api/<str:version>/spares/^moves/(?P<pk>[^/.]+)/$
    'spares-receipt-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^receipts/$
    'spares-receipt-detail': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # api/<str:version>/spares/^receipts/(?P<pk>[^/.]+)/$
    'spares-receipt-reverse': E(POST=r(DENY, warehouse_keeper=ALL, admin=ALL)),  # api/<str:version>/spares/^receipts/(?P<pk>[^/.]+)/reverse/$
    'spares-transfer-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^transfers/$
    'spares-transfer-detail': E(GET=r(ALL, technician=DENY, anonymous=DENY)),  # api/<str:version>/spares/^transfers/(?P<pk>[^/.]+)/$
    'spares-requisition-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^requisitions/$
    'spares-requisition-detail': E(GET=r(ALL, technician=OWN, anonymous=DENY)),  # api/<str:version>/spares/^requisitions/(?P<pk>[^/.]+)/$
    'spares-requisition-approve': E(POST=r(DENY, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/spares/^requisitions/(?P<pk>[^/.]+)/approve/$
    'spares-requisition-cancel': E(POST=r(DENY, technician=OWN, warehouse_keeper=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/spares/^requisitions/(?P<pk>[^/.]+)/cancel/$
    'spares-requisition-issue': E(POST=r(DENY, warehouse_keeper=ALL, station_head='deny/allow/deny', admin=ALL)),  # api/<str:version>/spares/^requisitions/(?P<pk>[^/.]+)/issue/$
    'spares-requisition-reject': E(POST=r(DENY, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/spares/^requisitions/(?P<pk>[^/.]+)/reject/$
    'spares-return-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^returns/$
    'spares-return-detail': E(GET=r('allow/?/?', anonymous='deny/?/?')),  # api/<str:version>/spares/^returns/(?P<pk>[^/.]+)/$
    'spares-old-part-return-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^old-part-returns/$
    'spares-old-part-return-detail': E(GET=r('allow/?/allow', technician='allow/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # api/<str:version>/spares/^old-part-returns/(?P<pk>[^/.]+)/$
    'spares-write-off-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^write-offs/$
    'spares-write-off-detail': E(GET=r('allow/?/?', anonymous='deny/?/?')),  # api/<str:version>/spares/^write-offs/(?P<pk>[^/.]+)/$
    'spares-old-part-batch-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^old-part-batches/$
    'spares-old-part-batch-detail': E(GET=r('?/?/?')),  # api/<str:version>/spares/^old-part-batches/(?P<pk>[^/.]+)/$
    'spares-stock-take-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^stock-takes/$
    'spares-stock-take-detail': E(GET=r('?/?/allow', technician='?/?/deny', station_head='?/?/deny', anonymous='?/?/deny')),  # api/<str:version>/spares/^stock-takes/(?P<pk>[^/.]+)/$
    'spares-stock-take-approve': E(POST=r('?/?/deny', manager='?/?/allow', general_manager='?/?/allow', admin='?/?/allow')),  # api/<str:version>/spares/^stock-takes/(?P<pk>[^/.]+)/approve/$
    'spares-stock-take-cancel': E(POST=r('?/?/deny', warehouse_keeper='?/?/allow', manager='?/?/allow', general_manager='?/?/allow', admin='?/?/allow')),  # api/<str:version>/spares/^stock-takes/(?P<pk>[^/.]+)/cancel/$
    'spares-stock-take-counts': E(POST=r('?/?/allow', anonymous='?/?/deny')),  # api/<str:version>/spares/^stock-takes/(?P<pk>[^/.]+)/counts/$
    'spares-stock-take-reopen': E(POST=r('?/?/deny', warehouse_keeper='?/?/allow', manager='?/?/allow', general_manager='?/?/allow', admin='?/?/allow')),  # api/<str:version>/spares/^stock-takes/(?P<pk>[^/.]+)/reopen/$
    'spares-stock-take-submit': E(POST=r('?/?/deny', warehouse_keeper='?/?/allow', admin='?/?/allow')),  # api/<str:version>/spares/^stock-takes/(?P<pk>[^/.]+)/submit/$
    'spares-out-of-stock-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/spares/^out-of-stock/$
    'spares-out-of-stock-detail': E(GET=r('allow/?/allow', technician='deny/?/deny', station_head='allow/?/deny', anonymous='deny/?/deny')),  # api/<str:version>/spares/^out-of-stock/(?P<pk>[^/.]+)/$
    'spares-out-of-stock-cancel': E(POST=r('allow/?/allow', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', finance='deny/?/deny', anonymous='deny/?/deny')),  # api/<str:version>/spares/^out-of-stock/(?P<pk>[^/.]+)/cancel/$
    'spares-out-of-stock-reply': E(POST=r('allow/?/allow', technician='deny/?/deny', supervisor='deny/?/deny', station_head='allow/?/deny', finance='deny/?/deny', anonymous='deny/?/deny')),  # api/<str:version>/spares/^out-of-stock/(?P<pk>[^/.]+)/reply/$
    'reports-statistics': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/reports/statistics/
    'reports-dashboard': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # api/<str:version>/reports/dashboard/
    'reports-export-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/reports/^exports/$
    'reports-export-detail': E(GET=r(DENY, technician=OWN, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/reports/^exports/(?P<pk>[^/.]+)/$
    'reports-export-download': E(GET=r(DENY, technician=OWN, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/reports/^exports/(?P<pk>[^/.]+)/download/$
    'reports-billing-list': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW, admin=ALLOW)),  # api/<str:version>/reports/^billing/$
    'reports-billing-mark': E(POST=r(DENY, manager=ALL, general_manager=ALL, finance=ALL, admin=ALL)),  # api/<str:version>/reports/^billing/(?P<pk>[^/.]+)/mark/$
    'reports-fee-report-list': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW, admin=ALLOW), POST=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW, admin=ALLOW)),  # api/<str:version>/reports/^fee-reports/$
    'reports-fee-report-detail': E(GET=r(DENY, manager=ALL, general_manager=ALL, finance=ALL, admin=ALL)),  # api/<str:version>/reports/^fee-reports/(?P<pk>[^/.]+)/$
    'reports-fee-report-approve': E(POST=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/reports/^fee-reports/(?P<pk>[^/.]+)/approve/$
    'reports-fee-report-history': E(GET=r(DENY, manager=ALL, general_manager=ALL, finance=ALL, admin=ALL)),  # api/<str:version>/reports/^fee-reports/(?P<pk>[^/.]+)/history/$
    'reports-fee-report-return-': E(POST=r(DENY, manager=ALL, general_manager=ALL, admin=ALL)),  # api/<str:version>/reports/^fee-reports/(?P<pk>[^/.]+)/return/$
    'reports-fee-report-submit': E(POST=r(DENY, finance=ALL, admin=ALL)),  # api/<str:version>/reports/^fee-reports/(?P<pk>[^/.]+)/submit/$
    'reports-work-report-list': E(GET=r(ALLOW, anonymous=DENY), POST=r(ALLOW, anonymous=DENY)),  # api/<str:version>/reports/^work-reports/$
    'reports-work-report-detail': E(GET=r('deny/?/deny', station_head='allow/?/deny', manager='allow/?/allow', general_manager='allow/?/allow', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/$
    'reports-work-report-approve': E(POST=r('deny/?/deny', manager='allow/?/allow', general_manager='allow/?/allow', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/approve/$
    'reports-work-report-history': E(GET=r('deny/?/deny', station_head='allow/?/deny', manager='allow/?/allow', general_manager='allow/?/allow', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/history/$
    'reports-work-report-narrative': E(POST=r('deny/?/deny', station_head='allow/?/deny', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/narrative/$
    'reports-work-report-refresh': E(POST=r('deny/?/deny', station_head='allow/?/deny', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/refresh/$
    'reports-work-report-reply': E(POST=r('deny/?/deny', manager='allow/?/allow', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/reply/$
    'reports-work-report-return-': E(POST=r('deny/?/deny', manager='allow/?/allow', general_manager='allow/?/allow', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/return/$
    'reports-work-report-submit': E(POST=r('deny/?/deny', station_head='allow/?/deny', admin='allow/?/allow')),  # api/<str:version>/reports/^work-reports/(?P<pk>[^/.]+)/submit/$
    'schema': E(GET=r(ALLOW)),  # api/<str:version>/schema/
    'api-docs': E(GET=r(ALLOW)),  # api/<str:version>/docs/
    'api-redoc': E(GET=r(ALLOW)),  # api/<str:version>/redoc/

    # --- pages: tablet, visits, callbacks, appraisal, reports, homes, health, sign-in -------------
    'notifications:list': E(GET=r(ALLOW, anonymous=DENY)),  # notifications/
    'notifications:mark_all_read': E(POST=r(ALLOW, anonymous=DENY)),  # notifications/read/
    'notifications:open': E(POST=r(DENY, technician=OWN)),  # notifications/<int:pk>/open/
    'visits:mine': E(GET=r(DENY, technician=ALLOW)),  # visits/
    'visits:record': E(GET=r(DENY, technician=ALLOW)),  # visits/record/
    'visits:plan': E(GET=r(DENY, technician=ALLOW)),  # visits/plan/
    'visits:complete': E(GET=r(DENY, technician=OWN, station_head=STATION, manager=ALL, admin=ALL)),  # visits/<int:pk>/record/
    'visits:cancel': E(POST=r(DENY, technician=OWN, station_head=STATION, manager=ALL, admin=ALL)),  # visits/<int:pk>/cancel/
    'visits:progress': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # visits/progress/
    'visits:progress_export': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # visits/progress.xlsx
    'visits:renewal': E(GET=r(ALL, technician=DENY, warehouse_keeper=DENY, anonymous=DENY)),  # visits/renewals/<int:pk>/
    'visits:callbacks': E(GET=r(DENY, supervisor=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # visits/callbacks/
    'visits:callback_next': E(GET=r(DENY, supervisor=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # visits/callbacks/next/
    'visits:callback_spot_check': E(POST=r(DENY, supervisor=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # visits/callbacks/spot-check/
    'visits:callback_quotas': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # visits/callbacks/quotas/
    'visits:callback': E(GET=r('allow/allow/?', dispatcher='deny/deny/?', technician='allow/deny/?', warehouse_keeper='deny/deny/?', finance='deny/deny/?', anonymous='deny/deny/?')),  # visits/callbacks/<int:pk>/
    'appraisal:my_backups': E(GET=r(ALLOW, anonymous=DENY)),  # appraisal/backups/
    'appraisal:backup_download': E(GET=r(DENY, technician=OWN, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # appraisal/backups/<int:pk>/download/
    'appraisal:compliance': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # appraisal/backups/compliance/
    'appraisal:compliance_export': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # appraisal/backups/compliance.xlsx
    'appraisal:mark_incomplete': E(POST=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # appraisal/backups/<int:pk>/incomplete/
    'appraisal:borrow_list': E(GET=r(ALLOW, anonymous=DENY)),  # appraisal/borrowing/
    'appraisal:borrow_detail': E(GET=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # appraisal/borrowing/<int:pk>/
    'appraisal:borrow_decide': E(POST=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # appraisal/borrowing/<int:pk>/decide/
    'appraisal:borrow_cancel': E(POST=r('deny/?/?', manager='allow/?/?', general_manager='allow/?/?', admin='allow/?/?')),  # appraisal/borrowing/<int:pk>/cancel/
    'appraisal:borrow_download': E(GET=r('deny/?/?')),  # appraisal/borrowing/<int:pk>/download/
    'appraisal:my_scorecard': E(GET=r(ALLOW, anonymous=DENY)),  # appraisal/scorecards/
    'appraisal:team': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # appraisal/scorecards/team/
    'appraisal:team_export': E(GET=r(DENY)),  # appraisal/scorecards/team.xlsx
    'appraisal:month_action': E(POST=r(DENY)),  # appraisal/scorecards/month/
    'appraisal:scorecard': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # appraisal/scorecards/<int:pk>/
    'appraisal:adjust': E(POST=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # appraisal/scorecards/<int:pk>/adjust/
    'appraisal:evaluate': E(POST=r(STATION, supervisor=ALL, manager=ALL, general_manager=ALL, finance=DENY, admin=ALL, anonymous=DENY)),  # appraisal/scorecards/<int:pk>/evaluate/
    'appraisal:drill': E(GET=r(DENY, supervisor=ALL, station_head=STATION, manager=ALL, general_manager=ALL, admin=ALL)),  # appraisal/scorecards/<int:pk>/records/<slug:key>/
    'appraisal:feedback_forms': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # appraisal/feedback/
    'workorders:carry_in_receipt': E(GET=r('allow/?/?', technician='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # workorders/carry-in/<int:pk>/receipt/
    'workorders:carry_in_tag': E(GET=r('allow/?/?', technician='deny/?/?', finance='deny/?/?', anonymous='deny/?/?')),  # workorders/carry-in/<int:pk>/tag/
    'workorders:goods_register': E(GET=r(ALLOW, anonymous=DENY)),  # workorders/carry-in/register/
    'workorders:technician_daily': E(GET=r(DENY, technician=ALLOW)),  # workorders/reports/technician/
    'workorders:supervisor_daily': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # workorders/reports/supervisor/
    'reports:billing': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW)),  # reports/billing/
    'reports:billing_mark': E(POST=r(DENY, finance=ALL)),  # reports/billing/<int:order_id>/mark/
    'reports:billing_export': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW)),  # reports/billing/export/
    'reports:list_export': E(GET=r(ALLOW, anonymous=DENY)),  # reports/export/<slug:name>/
    'reports:export_job': E(GET=r(DENY, technician=OWN, manager=ALL, general_manager=ALL, admin=ALL)),  # reports/exports/<int:pk>/
    'reports:export_progress': E(GET=r(DENY, technician=OWN, manager=ALL, general_manager=ALL, admin=ALL)),  # reports/exports/<int:pk>/progress.json
    'reports:export_download': E(GET=r(DENY, technician=OWN, manager=ALL, general_manager=ALL, admin=ALL)),  # reports/exports/<int:pk>/download/
    'reports:fee_reports': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW)),  # reports/fee-reports/
    'reports:fee_report': E(GET=r(DENY, manager=ALL, general_manager=ALL, finance=ALL)),  # reports/fee-reports/<int:pk>/
    'reports:work_reports': E(GET=r(DENY, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # reports/work-reports/
    'reports:work_report': E(GET=r('deny/?/deny', station_head='allow/?/deny', manager='allow/?/allow', general_manager='allow/?/allow', admin='allow/?/allow')),  # reports/work-reports/<int:pk>/
    'reports:statistics': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # reports/statistics/
    'reports:statistics_records': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # reports/statistics/records/<slug:source>/
    'reports:statistics_export': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # reports/statistics/export/
    'reports:dashboard': E(GET=r(DENY, supervisor=ALLOW, station_head=ALLOW, manager=ALLOW, general_manager=ALLOW, admin=ALLOW)),  # reports/dashboard/
    'api-not-found': E(GET=r(DENY)),  # ^api/.*/$ — any /api/ URL no endpoint matched: the API's JSON 404 for everyone
    'healthz': E(GET=r(ALLOW)),  # healthz
    'health': E(GET=r(ALLOW), unavailable=(503,)),  # health/ — 503 while no Celery worker answers (by design)
    'home': E(GET=r(ALLOW, anonymous=DENY)),  # 
    'login': E(GET=r(ALLOW)),  # accounts/login/
    'logout': E(POST=r(DENY)),  # accounts/logout/
    'password_change': E(GET=r(ALLOW, anonymous=DENY)),  # accounts/password_change/
    'password_change_done': E(GET=r(ALLOW, anonymous=DENY)),  # accounts/password_change/done/
    'tablet:my_work': E(GET=r(DENY, technician=ALLOW)),  # tablet/work/
    'tablet:order': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # tablet/orders/<int:pk>/
    'tablet:sign': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # tablet/orders/<int:pk>/sign/
    'tablet:signed': E(GET=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, anonymous=DENY)),  # tablet/orders/<int:pk>/signed/
    'tablet:photo': E(GET=r(DENY)),  # tablet/orders/<int:pk>/photos/<int:photo_pk>/
    'tablet:signature_image': E(GET=r(OWN, warehouse_keeper=DENY, anonymous=DENY)),  # tablet/orders/<int:pk>/signature.png — only tech01's sample order is signed
    'tablet:step': E(POST=r(ALL, technician=OWN, warehouse_keeper=DENY, station_head=STATION, finance=DENY, anonymous=DENY)),  # tablet/orders/<int:pk>/<slug:action>/
    'tablet_home': E(GET=r(DENY, technician=ALLOW)),  # tablet/
    'supervisor_home': E(GET=r(DENY, supervisor=ALLOW)),  # supervisor/
    'station_home': E(GET=r(DENY, station_head=ALLOW)),  # station/
    'manager_home': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW)),  # manager/
    'finance_home': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW)),  # finance/
    'finance_export': E(GET=r(DENY, manager=ALLOW, general_manager=ALLOW, finance=ALLOW)),  # finance/contract-fees.xlsx
}

