from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import LedgerAdjustmentView, LedgerEntryViewSet, LedgerStatementView

router = SimpleRouter()
router.register("ledger/entries", LedgerEntryViewSet, basename="ledger-entry")

urlpatterns = [
    path("ledger/statement/", LedgerStatementView.as_view(), name="ledger-statement"),
    path("ledger/adjustments/", LedgerAdjustmentView.as_view(), name="ledger-adjustment"),
    *router.urls,
]
