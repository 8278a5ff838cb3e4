from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayslipsConfig(AppConfig):
    name = "apps.payslips"
    label = "payslips"
    verbose_name = _("Payslips")
