"""The one decorator every business model uses for its audit trail.

django-pghistory installs PostgreSQL triggers, so ``queryset.update()``, ``bulk_update`` and raw
SQL leave history too — unlike ``post_save``-based libraries. Each event row carries the context
(user, URL or Celery task) set by :mod:`servicedesk.audit.middleware` / :func:`audit_context`.
On SQLite (quick start only) triggers are not installed and nothing is recorded; a system check
says so.
"""

import pghistory



def audited(model):
    """Class decorator: record every insert, update and delete of ``model``.

    Tracker objects remember the model they were first bound to, so each model gets fresh ones.
    """
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())(model)
