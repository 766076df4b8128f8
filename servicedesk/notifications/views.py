from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread": selectors.unread_count(request.user)})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request, pk):
    # Scoped to the recipient: another user's id is a 404, not a peek.
    note = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.mark_read(user=request.user, ids=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:list")
