from rest_framework.routers import SimpleRouter

from .api import PayslipViewSet

router = SimpleRouter()
router.register("payslips", PayslipViewSet, basename="payslip")

urlpatterns = router.urls
