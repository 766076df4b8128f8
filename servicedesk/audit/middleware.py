"""Request context for the audit trail (user and URL), on PostgreSQL where triggers record it."""

from django.db import connection
from pghistory.middleware import HistoryMiddleware


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, skipped on SQLite where its ``set_config`` SQL would fail."""

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
