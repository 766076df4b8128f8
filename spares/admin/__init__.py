"""The warehouse in the Django admin: the keeper's and station head's daily screens.

Documents are entered on forms that call the services (never ``save_model``); once posted they are
read-only. Workflow steps are admin actions that call one service per selected row and report each
refusal with ``message_user``. Every list is scoped by the same selectors as the API.
"""

from __future__ import annotations

from . import documents, stock  # noqa: F401  (importing registers the admin classes)
