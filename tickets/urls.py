"""/api/v1/ routes of the tickets app.

``servicedesk/api_urls.py`` includes this module by its dotted name, so the foundation layer never
imports the tickets app (CONVENTIONS §1: dependencies run downwards).
"""

from rest_framework.routers import SimpleRouter

from .api import ClockViewSet, ContactViewSet, ContractViewSet, CustomerViewSet, TicketViewSet, UnitViewSet
from .work_order_api import ServiceItemViewSet, WorkOrderViewSet

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("contacts", ContactViewSet, basename="contact")
router.register("units", UnitViewSet, basename="unit")
router.register("contracts", ContractViewSet, basename="contract")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("clocks", ClockViewSet, basename="clock")
router.register("work-orders", WorkOrderViewSet, basename="workorder")
router.register("service-items", ServiceItemViewSet, basename="serviceitem")

urlpatterns = router.urls
