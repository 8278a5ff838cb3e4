from rest_framework.routers import SimpleRouter

from .api import EmploymentContractViewSet

router = SimpleRouter()
router.register("employment-contracts", EmploymentContractViewSet, basename="employment-contract")

urlpatterns = router.urls
