"""Roles (Django groups) and their model permissions — the one table a manager reads to know who may do what.

Object-level scoping (a technician sees only his own work) is done by selectors, not here.
Permissions are named ``app_label.codename``; those whose model does not exist yet are skipped and
attached automatically once a later migration creates them (``sync_role_permissions`` runs after
every ``migrate``).
"""

from __future__ import annotations

from .models import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def _perms(app: str, model: str, *actions: str) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


_ORG_READ = _perms("org", "station", VIEW) + _perms("org", "staff", VIEW) + _perms("org", "productline", VIEW)
_CALENDAR_READ = (
    _perms("business_calendar", "weeklyhours", VIEW)
    + _perms("business_calendar", "dateoverride", VIEW)
    + _perms("business_calendar", "manualscheduleyear", VIEW)
)
_CUSTOMER_READ = (
    _perms("tickets", "customer", VIEW)
    + _perms("tickets", "contact", VIEW)
    + _perms("tickets", "unit", VIEW)
    + _perms("tickets", "contract", VIEW)
)
_CUSTOMER_WRITE = (
    _perms("tickets", "customer", VIEW, ADD, CHANGE)
    + _perms("tickets", "contact", VIEW, ADD, CHANGE, DELETE)
    + _perms("tickets", "unit", VIEW, ADD, CHANGE)
    + _perms("tickets", "contract", VIEW, ADD, CHANGE)
)
# Tickets: reading them, their contact log (append-only: never change/delete), work orders and the
# policies that decide deadlines and warranty. Writes happen through services behind these permissions:
# change_ticket = reply/classify/escalate/hold/resume/close; add_workorder = dispatch.
_TICKET_READ = (
    _perms("tickets", "ticket", VIEW)
    + _perms("tickets", "ticketlog", VIEW)
    + _perms("tickets", "slaclock", VIEW)
    + _perms("tickets", "workorder", VIEW)
)
_POLICY_READ = _perms("tickets", "slapolicy", VIEW) + _perms("tickets", "warrantypolicy", VIEW)
_TICKET_DESK = (
    _TICKET_READ
    + _POLICY_READ
    + _perms("tickets", "ticket", ADD, CHANGE)
    + _perms("tickets", "ticketlog", ADD)
    + _perms("tickets", "workorder", ADD)
)
_POLICY_WRITE = _perms("tickets", "slapolicy", VIEW, ADD, CHANGE) + _perms("tickets", "warrantypolicy", VIEW, ADD, CHANGE)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DISPATCHER: _ORG_READ + _CALENDAR_READ + _CUSTOMER_WRITE + _TICKET_DESK,
    Role.TECHNICIAN: _CUSTOMER_READ + _TICKET_READ,
    Role.SUPERVISOR: _ORG_READ + _CUSTOMER_READ + _TICKET_READ + _POLICY_READ + _perms("tickets", "ticketlog", ADD),
    Role.WAREHOUSE_KEEPER: _ORG_READ,
    Role.STATION_HEAD: _ORG_READ + _CUSTOMER_READ + _TICKET_READ + _POLICY_READ + _perms("org", "staff", CHANGE),
    Role.MANAGER: _ORG_READ
    + _CALENDAR_READ
    + _CUSTOMER_WRITE
    + _TICKET_DESK
    + _POLICY_WRITE
    + _perms("org", "staff", ADD, CHANGE)
    + _perms("business_calendar", "dateoverride", ADD, CHANGE, DELETE)
    + _perms("business_calendar", "manualscheduleyear", ADD, CHANGE, DELETE),
    Role.GENERAL_MANAGER: _ORG_READ + _CALENDAR_READ + _CUSTOMER_READ + _TICKET_READ + _POLICY_READ
    + _perms("tickets", "ticket", CHANGE) + _perms("tickets", "ticketlog", ADD),
    Role.FINANCE: _ORG_READ + _CUSTOMER_READ + _TICKET_READ,
    Role.ADMIN: _ORG_READ
    + _CALENDAR_READ
    + _CUSTOMER_WRITE
    + _TICKET_READ
    + _POLICY_WRITE
    + _perms("org", "department", VIEW, ADD, CHANGE)
    + _perms("org", "station", ADD, CHANGE)
    + _perms("org", "staff", ADD, CHANGE)
    + _perms("org", "productline", ADD, CHANGE)
    + _perms("business_calendar", "weeklyhours", CHANGE)
    + _perms("business_calendar", "dateoverride", ADD, CHANGE, DELETE)
    + _perms("business_calendar", "manualscheduleyear", ADD, CHANGE, DELETE)
    + _perms("auth", "user", VIEW, ADD, CHANGE)
    + _perms("auth", "group", VIEW),
}

# Spare parts (spares app). These open the admin screens; which stock a person may touch (a station
# head only his station's accounts) is decided by spares.access.
_SPARES_DOCUMENTS = ["receipt", "transfer", "requisition", "stockreturn", "oldpartreturn", "writeoff", "oldpartbatch",
                     "stocktake", "outofstockregistration"]
_SPARES_CATALOGUE = _perms("spares", "part", VIEW) + _perms("spares", "stockbalance", VIEW)
_SPARES_READ = (
    _SPARES_CATALOGUE
    + _perms("spares", "location", VIEW)
    + _perms("spares", "stockmove", VIEW)
    + [p for model in _SPARES_DOCUMENTS for p in _perms("spares", model, VIEW)]
)
_SPARES_DOCUMENT_WRITE = [p for model in _SPARES_DOCUMENTS for p in _perms("spares", model, ADD, CHANGE)]
_SPARES_APPROVE = (
    _perms("spares", "requisition", CHANGE)
    + _perms("spares", "stocktake", CHANGE)
    + _perms("spares", "outofstockregistration", ADD, CHANGE)
    + _perms("spares", "sparespolicy", VIEW, CHANGE)
)
for _role, _extra in {
    Role.DISPATCHER: _SPARES_CATALOGUE + _perms("spares", "outofstockregistration", VIEW, ADD),
    Role.TECHNICIAN: _SPARES_CATALOGUE,
    Role.SUPERVISOR: _SPARES_CATALOGUE,
    Role.WAREHOUSE_KEEPER: _SPARES_READ
    + _SPARES_DOCUMENT_WRITE
    + _perms("spares", "part", ADD, CHANGE)
    + _perms("spares", "location", ADD, CHANGE),
    Role.STATION_HEAD: _SPARES_READ + _SPARES_DOCUMENT_WRITE,
    Role.MANAGER: _SPARES_READ + _SPARES_APPROVE,
    Role.GENERAL_MANAGER: _SPARES_READ,
    Role.FINANCE: _SPARES_READ,
    Role.ADMIN: _SPARES_READ + _SPARES_DOCUMENT_WRITE + _SPARES_APPROVE
    + _perms("spares", "part", ADD, CHANGE)
    + _perms("spares", "location", ADD, CHANGE),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra

# Work orders on the tablet (tickets app). change_workorder opens the lifecycle actions; whose order
# one may act on (a technician only his own; the review only supervisors and managers) is decided by
# tickets.work_orders and tickets.selectors. Finance reads work orders but never changes them.
_WORK_READ = (
    _perms("tickets", "serviceitem", VIEW)
    + _perms("tickets", "workorderphoto", VIEW)
    + _perms("tickets", "carryin", VIEW)
    + _perms("tickets", "goodsregisterentry", VIEW)
    + _perms("tickets", "factoryreturn", VIEW)
    + _perms("tickets", "compensation", VIEW)
)
_WORK_ACT = _WORK_READ + _perms("tickets", "workorder", CHANGE) + _perms("tickets", "carryin", ADD, CHANGE)
for _role, _extra in {
    Role.DISPATCHER: _WORK_READ + _perms("tickets", "workorder", CHANGE),
    Role.TECHNICIAN: _WORK_ACT + _perms("tickets", "workorderphoto", ADD) + _perms("tickets", "factoryreturn", ADD)
    + _perms("tickets", "compensation", ADD),
    Role.SUPERVISOR: _WORK_ACT + _perms("tickets", "compensation", ADD),
    Role.STATION_HEAD: _WORK_ACT + _perms("tickets", "factoryreturn", ADD, CHANGE) + _perms("tickets", "compensation", ADD),
    Role.MANAGER: _WORK_ACT + _perms("tickets", "serviceitem", ADD, CHANGE) + _perms("tickets", "factoryreturn", ADD, CHANGE)
    + _perms("tickets", "compensation", ADD, CHANGE),
    Role.GENERAL_MANAGER: _WORK_READ + _perms("tickets", "workorder", CHANGE) + _perms("tickets", "compensation", CHANGE),
    Role.FINANCE: _WORK_READ,
    Role.ADMIN: _WORK_READ + _perms("tickets", "serviceitem", ADD, CHANGE),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra

# Visits and renewals (visits app). Which visits and renewals a person sees (a technician only his
# own, a station head his station's) is decided by visits.selectors; writes go through visits.services.
_VISITS_READ = (
    _perms("visits", "visit", VIEW)
    + _perms("visits", "visitplan", VIEW)
    + _perms("visits", "visitpolicy", VIEW)
    + _perms("visits", "renewaltask", VIEW)
    + _perms("visits", "reminder", VIEW)
)
for _role, _extra in {
    Role.DISPATCHER: _perms("visits", "renewaltask", VIEW, CHANGE),
    Role.TECHNICIAN: _perms("visits", "visit", VIEW, ADD, CHANGE) + _perms("visits", "visitplan", VIEW)
    + _perms("visits", "renewaltask", VIEW, CHANGE),
    Role.SUPERVISOR: _VISITS_READ,
    Role.STATION_HEAD: _VISITS_READ + _perms("visits", "visit", ADD, CHANGE) + _perms("visits", "visitplan", ADD, CHANGE)
    + _perms("visits", "renewaltask", CHANGE),
    Role.MANAGER: _VISITS_READ + _perms("visits", "visit", ADD, CHANGE) + _perms("visits", "visitplan", ADD, CHANGE)
    + _perms("visits", "visitpolicy", CHANGE) + _perms("visits", "renewaltask", CHANGE),
    Role.GENERAL_MANAGER: _VISITS_READ,
    Role.FINANCE: _perms("visits", "renewaltask", VIEW),
    Role.ADMIN: _VISITS_READ + _perms("visits", "visitplan", ADD, CHANGE) + _perms("visits", "visitpolicy", CHANGE),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra

# Callbacks (visits app). Supervisors, managers and the general manager make callbacks and spot checks
# (change_callback = record an outcome, add_callback = pick a spot check); managers edit the plans and
# the quotas. Which callbacks one sees (a technician only those on his own work, read only; a station
# head his station's) is decided by visits.selectors; who may record which one by visits.callbacks.
_CALLBACKS_READ = (
    _perms("visits", "callback", VIEW)
    + _perms("visits", "callbackattempt", VIEW)
    + _perms("visits", "callbackplan", VIEW)
    + _perms("visits", "callbackquota", VIEW)
)
_CALLBACKS_ACT = _CALLBACKS_READ + _perms("visits", "callback", ADD, CHANGE)
for _role, _extra in {
    Role.TECHNICIAN: _perms("visits", "callback", VIEW) + _perms("visits", "callbackattempt", VIEW),
    Role.SUPERVISOR: _CALLBACKS_ACT,
    Role.STATION_HEAD: _CALLBACKS_READ,
    Role.MANAGER: _CALLBACKS_ACT + _perms("visits", "callbackplan", ADD, CHANGE) + _perms("visits", "callbackquota", CHANGE),
    Role.GENERAL_MANAGER: _CALLBACKS_ACT,
    Role.ADMIN: _CALLBACKS_READ + _perms("visits", "callbackplan", ADD, CHANGE) + _perms("visits", "callbackquota", CHANGE),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra

# Appraisal: weekly backups (appraisal app). Everyone submits and borrows on the pages; these open the
# admin screens. Whose backups a reviewer sees (a station head his station) is decided by
# appraisal.selectors; change_backupsubmission = mark incomplete, change_backupcheck = run again,
# change_borrowrequest = approve/reject (for the departments the user decides).
_BACKUP_REVIEW = (
    _perms("appraisal", "backupsubmission", VIEW, CHANGE)
    + _perms("appraisal", "backupcheck", VIEW)
    + _perms("appraisal", "backupcheckentry", VIEW)
    + _perms("appraisal", "backupdeduction", VIEW)
)
_BACKUP_OVERSIGHT = (
    _BACKUP_REVIEW
    + _perms("appraisal", "backupcheck", CHANGE)
    + _perms("appraisal", "backupdownload", VIEW)
    + _perms("appraisal", "borrowrequest", VIEW, CHANGE)
    + _perms("appraisal", "borrowapproval", VIEW)
    + _perms("appraisal", "backuprules", VIEW)
)
for _role, _extra in {
    Role.SUPERVISOR: _BACKUP_REVIEW,
    Role.STATION_HEAD: _BACKUP_REVIEW,
    Role.MANAGER: _BACKUP_OVERSIGHT + _perms("appraisal", "backuprules", CHANGE),
    Role.GENERAL_MANAGER: _BACKUP_OVERSIGHT,
    Role.ADMIN: _BACKUP_OVERSIGHT + _perms("appraisal", "backuprules", ADD, CHANGE),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra

# Appraisal: monthly scorecards and the daily feedback-form scores (appraisal app). Whose scorecards a
# person reads (a technician his own published ones, a station head his station's) is decided by
# appraisal.scorecard_selectors; drafting, review, publishing, adjustments and scoring are services
# (managers), reopening a published month is the general manager's alone. change_scorecardconfig =
# targets, weights and grade thresholds.
_SCORECARD_READ = (
    _perms("appraisal", "scorecard", VIEW)
    + _perms("appraisal", "scorecardmonth", VIEW)
    + _perms("appraisal", "scorecardadjustment", VIEW)
    + _perms("appraisal", "evaluation", VIEW)
    + _perms("appraisal", "scorecardlog", VIEW)
)
_SCORECARD_MANAGE = (
    _SCORECARD_READ
    + _perms("appraisal", "scorecardmonth", CHANGE)
    + _perms("appraisal", "scorecardadjustment", ADD)
    + _perms("appraisal", "scorecardconfig", VIEW, CHANGE)
    + _perms("appraisal", "feedbackscore", VIEW, CHANGE)
)
for _role, _extra in {
    Role.STATION_HEAD: _SCORECARD_READ,
    Role.MANAGER: _SCORECARD_MANAGE,
    Role.GENERAL_MANAGER: _SCORECARD_MANAGE,
    Role.ADMIN: _SCORECARD_READ + _perms("appraisal", "scorecardconfig", VIEW, ADD, CHANGE),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _extra

# Price list, carry-in repairs, factory returns and compensations (tickets app). Which ones a person
# sees is decided by tickets.carry_in_selectors; every status change is a service behind an admin
# action or the API. The price list is kept by managers (and administrators).
_CARRY_IN_READ = (
    _perms("tickets", "serviceitem", VIEW)
    + _perms("tickets", "carryin", VIEW)
    + _perms("tickets", "goodsregisterentry", VIEW)
    + _perms("tickets", "factoryreturn", VIEW)
    + _perms("tickets", "compensation", VIEW)
)
for _role in (Role.DISPATCHER, Role.TECHNICIAN, Role.SUPERVISOR, Role.STATION_HEAD, Role.GENERAL_MANAGER, Role.FINANCE):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _CARRY_IN_READ
for _role in (Role.MANAGER, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _CARRY_IN_READ + _perms("tickets", "serviceitem", ADD, CHANGE)

# Roles whose members work in the Django admin (is_staff is set for them by seed/user services).
ADMIN_SITE_ROLES = {
    Role.DISPATCHER,
    Role.SUPERVISOR,
    Role.WAREHOUSE_KEEPER,
    Role.STATION_HEAD,
    Role.MANAGER,
    Role.GENERAL_MANAGER,
    Role.FINANCE,
    Role.ADMIN,
}


def sync_role_permissions(*, using: str = "default", apps=None) -> None:
    """Create every role group and give it (at least) its declared permissions. Idempotent."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    found = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.using(using).values_list("pk", "content_type__app_label", "codename")
        if f"{app}.{codename}" in wanted
    }
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        pks = [found[p] for p in ROLE_PERMISSIONS.get(role, []) if p in found]
        if pks:
            group.permissions.add(*pks)


def user_roles(user) -> set[str]:
    """The role names a user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_servicedesk_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._servicedesk_roles = cached
    return cached


def role_label(name: str) -> str:
    """A role (group) name → its translated label; other group names unchanged."""
    try:
        return str(Role(name).label)
    except ValueError:
        return name


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
