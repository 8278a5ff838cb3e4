from rest_framework.routers import SimpleRouter

from .api import PayrollRunViewSet
from .api_payout import PayoutRequestViewSet

router = SimpleRouter()
router.register("payroll/runs", PayrollRunViewSet, basename="payroll-run")
router.register("payroll/payout-requests", PayoutRequestViewSet, basename="payroll-payout-request")

urlpatterns = router.urls
