from rest_framework.routers import SimpleRouter

from .api import CommercialContractViewSet

router = SimpleRouter()
router.register("commercial-contracts", CommercialContractViewSet, basename="commercial-contract")

urlpatterns = router.urls
