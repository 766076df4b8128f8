"""Small helpers shared by the appraisal services."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def page_url(name: str, *args, query: str = "") -> str:
    """A page's path for a notification link; empty when the pages are not mounted in this URLconf."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url
