"""Role home pages: thin views over :mod:`reports.homes.selectors`, each guarded by its role."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from servicedesk.core.views import role_required
from servicedesk.core.xlsx import DATE, MONEY, Column, write_table
from servicedesk.org.models import Role, Station
from servicedesk.org.selectors import staff_of, stations_visible_to
from tickets.models import Contract

from . import selectors

# Finance owns the fee list; managers approve the fee report, so they may read it too.
FINANCE_ROLES = (Role.FINANCE, Role.MANAGER, Role.GENERAL_MANAGER)


def _today():
    return timezone.localdate()


@role_required(Role.TECHNICIAN)
def tablet_home(request):
    today = _today()
    me = staff_of(request.user)
    context = {"today": today, "staff": None, "page": None}
    if me is not None:
        customers = selectors.customers_of_technician(me, today=today)
        context.update(
            staff=selectors.technician_card(me),
            page=Paginator(customers, 20).get_page(request.GET.get("page")),
            notifications=selectors.latest_notifications(request.user),
        )
    return render(request, "homes/tablet_home.html", context)


@role_required(Role.SUPERVISOR)
def supervisor_home(request):
    data = selectors.supervisor_home(request.user)
    page = Paginator(data.unowned_customers, 50).get_page(request.GET.get("page"))
    return render(request, "homes/supervisor_home.html", {"data": data, "page": page})


@role_required(Role.STATION_HEAD)
def station_home(request):
    today = _today()
    data = selectors.station_home(request.user, today=today)
    return render(request, "homes/station_home.html", {"data": data, "today": today})


@role_required(Role.MANAGER, Role.GENERAL_MANAGER)
def manager_home(request):
    today = _today()
    data = selectors.manager_home(today=today)
    return render(request, "homes/manager_home.html", {"data": data, "today": today})


class ContractFeeFilter(forms.Form):
    fee_status = forms.ChoiceField(
        label=gettext_lazy("Fee status"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(Contract.FeeStatus.choices),
    )
    station = forms.ModelChoiceField(
        label=gettext_lazy("Service station"),
        required=False,
        queryset=Station.objects.none(),
        empty_label=gettext_lazy("All stations"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations_visible_to(user)


def _filtered_contracts(request):
    """The filter form and the contracts it selects; an invalid filter filters nothing (and says why)."""
    form = ContractFeeFilter(request.GET or None, user=request.user)
    fee_status, station = "", None
    if form.is_bound and form.is_valid():
        fee_status = form.cleaned_data["fee_status"] or ""
        station = form.cleaned_data["station"]
    return form, fee_status, station, selectors.contract_fees(fee_status=fee_status, station=station)


@role_required(*FINANCE_ROLES)
def finance_home(request):
    form, _fee_status, _station, contracts = _filtered_contracts(request)
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "homes/finance_home.html",
        {
            "form": form,
            "page": page,
            "totals": selectors.contract_fee_totals(contracts),
            "filter_query": query.urlencode(),
        },
    )


@role_required(*FINANCE_ROLES)
def finance_export(request):
    """The finance list as filtered on screen, as an .xlsx file (built in the request: it is small)."""
    _form, fee_status, station, contracts = _filtered_contracts(request)
    totals = selectors.contract_fee_totals(contracts)
    today = _today()
    filters = [
        _("Fee status: %(status)s") % {"status": Contract.FeeStatus(fee_status).label if fee_status else _("All")},
        _("Service station: %(station)s") % {"station": station.name if station else _("All stations")},
        _("Exported on %(date)s") % {"date": today.isoformat()},
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Contract fees")[:31]
    write_table(
        ws,
        [
            Column(_("Contract number")),
            Column(_("Customer")),
            Column(_("Service station")),
            Column(_("Kind")),
            Column(_("Start date"), DATE),
            Column(_("End date"), DATE),
            Column(_("Annual fee (CNY)"), MONEY),
            Column(_("Fee paid (CNY)"), MONEY),
            Column(_("Outstanding (CNY)"), MONEY),
            Column(_("Fee status")),
        ],
        (
            (
                c.number,
                c.customer.name,
                c.customer.station.name,
                c.get_kind_display(),
                c.start_date,
                c.end_date,
                c.annual_fee,
                c.fee_paid,
                c.outstanding,
                c.get_fee_status_display(),
            )
            for c in contracts.iterator(chunk_size=500)
        ),
        title=_("Service contract fees"),
        subtitle=" · ".join(filters),
        totals=[
            _("Total: %(count)s contracts") % {"count": totals["count"]},
            None,
            None,
            None,
            None,
            None,
            totals["annual_fee"],
            totals["fee_paid"],
            totals["outstanding_total"],
            None,
        ],
    )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="contract-fees-{today.isoformat()}.xlsx"'
    wb.save(response)
    return response
