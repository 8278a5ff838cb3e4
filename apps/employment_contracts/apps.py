from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentContractsConfig(AppConfig):
    name = "apps.employment_contracts"
    label = "employment_contracts"
    verbose_name = _("Employment contracts")
