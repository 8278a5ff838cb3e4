from rest_framework.routers import SimpleRouter

from .api import PayrollRunViewSet

router = SimpleRouter()
router.register("payroll/runs", PayrollRunViewSet, basename="payroll-run")

urlpatterns = router.urls
