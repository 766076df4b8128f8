"""/api/v1/spares/… — the spare-parts endpoints, included by ``servicedesk/api_urls.py`` by dotted
path (the foundation never imports an app above it)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("parts", api.PartViewSet, basename="spares-part")
router.register("locations", api.LocationViewSet, basename="spares-location")
router.register("stock", api.StockViewSet, basename="spares-stock")
router.register("moves", api.MoveViewSet, basename="spares-move")
router.register("receipts", api.ReceiptViewSet, basename="spares-receipt")
router.register("transfers", api.TransferViewSet, basename="spares-transfer")
router.register("requisitions", api.RequisitionViewSet, basename="spares-requisition")
router.register("returns", api.StockReturnViewSet, basename="spares-return")
router.register("old-part-returns", api.OldPartReturnViewSet, basename="spares-old-part-return")
router.register("write-offs", api.WriteOffViewSet, basename="spares-write-off")
router.register("old-part-batches", api.OldPartBatchViewSet, basename="spares-old-part-batch")
router.register("stock-takes", api.StockTakeViewSet, basename="spares-stock-take")
router.register("out-of-stock", api.OutOfStockViewSet, basename="spares-out-of-stock")

urlpatterns = router.urls
