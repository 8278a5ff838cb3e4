from rest_framework.routers import SimpleRouter

from .api import ClientContactsOfClientViewSet, ClientContactViewSet, ClientViewSet

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register(
    r"clients/(?P<client_pk>[0-9]+)/contacts",
    ClientContactsOfClientViewSet,
    basename="client-contacts",
)
router.register("client-contacts", ClientContactViewSet, basename="client-contact")

urlpatterns = router.urls
