"""``{% ticket_result_list cl %}``: the ticket changelist's table from the lean rows (tickets/admin_changelist.py)."""

from django import template

from tickets import admin_changelist
from tickets.admin_changelist import result_table

register = template.Library()


@register.inclusion_tag("admin/tickets/ticket/result_table.html")
def ticket_result_list(cl):
    return result_table(cl)


@register.simple_tag(takes_context=True)
def ticket_nav_sidebar(context):
    return admin_changelist.nav_sidebar(context.get("available_apps"), context["request"].path)


@register.simple_tag
def ticket_action_fields(action_form):
    return admin_changelist.action_fields(action_form)
