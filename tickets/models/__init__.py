"""Customers and what they own (客户档案, 服务凭证, 保养合同), tickets and their SLA clocks in
:mod:`.core`; work orders, the price list, carry-in repairs and compensation in :mod:`.work`."""

from .core import (
    Contact,
    Contract,
    Customer,
    Priority,
    ServiceType,
    SLAClock,
    SLAPolicy,
    SLATarget,
    Ticket,
    TicketChannel,
    TicketKind,
    TicketLog,
    Unit,
    WarrantyPolicy,
)
from .work import (
    CarryIn,
    CollectionReminder,
    Compensation,
    FactoryReturn,
    GoodsRegisterEntry,
    ServiceItem,
    WorkOrder,
    WorkOrderLog,
    WorkOrderItem,
    WorkOrderOldPart,
    WorkOrderPart,
    WorkOrderPhoto,
    WorkOrderSignature,
)

__all__ = [
    "CarryIn", "CollectionReminder", "Compensation", "Contact", "Contract", "Customer", "FactoryReturn",
    "GoodsRegisterEntry", "Priority", "SLAClock", "SLAPolicy", "SLATarget", "ServiceItem", "ServiceType", "Ticket",
    "TicketChannel", "TicketKind", "TicketLog", "Unit", "WarrantyPolicy", "WorkOrder", "WorkOrderLog",
    "WorkOrderItem", "WorkOrderOldPart", "WorkOrderPart", "WorkOrderPhoto", "WorkOrderSignature",
]
