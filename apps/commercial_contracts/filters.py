import django_filters
from django.utils.translation import gettext_lazy as _

from .models import CommercialContract, ContractStatus
from .selectors import commercial_contracts_active_on


class CommercialContractFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ContractStatus.choices, label=_("Status"))
    client = django_filters.NumberFilter(field_name="client_id", label=_("Client id"))
    consultant = django_filters.NumberFilter(field_name="consultant_id", label=_("Consultant id"))
    active_on = django_filters.DateFilter(
        method="filter_active_on", label=_("Prestation running on this date (YYYY-MM-DD)")
    )

    class Meta:
        model = CommercialContract
        fields = ["status", "client", "consultant", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(commercial_contracts_active_on(value))
