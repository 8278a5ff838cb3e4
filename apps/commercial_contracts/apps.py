from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommercialContractsConfig(AppConfig):
    name = "apps.commercial_contracts"
    label = "commercial_contracts"
    verbose_name = _("Commercial contracts")
