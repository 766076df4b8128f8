"""Audit trails for Django's own auth tables: who was given or lost which role, when and by whom."""

import pghistory
from django.contrib.auth.models import Group, User

UserEvent = pghistory.create_event_model(
    User,
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    # The hash is a secret and last_login changes at every sign-in: neither is an audit fact.
    exclude=["password", "last_login"],
    model_name="UserEvent",
    app_label="audit",
    abstract=False,
)

UserRoleEvent = pghistory.create_event_model(
    User.groups.through,
    pghistory.InsertEvent(),
    pghistory.DeleteEvent(),
    model_name="UserRoleEvent",
    app_label="audit",
    abstract=False,
)

GroupPermissionEvent = pghistory.create_event_model(
    Group.permissions.through,
    pghistory.InsertEvent(),
    pghistory.DeleteEvent(),
    model_name="GroupPermissionEvent",
    app_label="audit",
    abstract=False,
)
