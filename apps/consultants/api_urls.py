from rest_framework.routers import SimpleRouter

from .api import ConsultantViewSet

router = SimpleRouter()
router.register("consultants", ConsultantViewSet, basename="consultant")

urlpatterns = router.urls
