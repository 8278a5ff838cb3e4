"""Query filters of the employment contract list: ?status=active&kind=cdd&consultant=3
&active_on=2026-06-30."""

import django_filters
from django.db.models import DateField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import EmploymentContract, EmploymentContractRenewal


class EmploymentContractFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=EmploymentContract.Status.choices, label=_("Status")
    )
    kind = django_filters.ChoiceFilter(choices=EmploymentContract.Kind.choices, label=_("Type"))
    consultant = django_filters.NumberFilter(field_name="consultant_id", label=_("Consultant id"))
    commercial_contract = django_filters.NumberFilter(
        field_name="commercial_contracts", label=_("Commercial contract id")
    )
    active_on = django_filters.DateFilter(
        method="filter_active_on", label=_("Contract running on this date (YYYY-MM-DD)")
    )

    class Meta:
        model = EmploymentContract
        fields = ["status", "kind", "consultant", "commercial_contract", "active_on"]

    def filter_active_on(self, queryset, name, value):
        """Started by `value`, not closed before it, and (CDD) not past its current end."""
        latest_renewal_end = (
            EmploymentContractRenewal.objects.filter(contract=OuterRef("pk"))
            .order_by("-number")
            .values("new_end_date")[:1]
        )
        queryset = queryset.annotate(
            current_end=Coalesce(
                "prospection_extension_end",
                Subquery(latest_renewal_end, output_field=DateField()),
                "initial_end_date",
            )
        )
        return queryset.filter(start_date__lte=value).filter(
            Q(current_end__isnull=True) | Q(current_end__gte=value),
            Q(ended_on__isnull=True) | Q(ended_on__gte=value),
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=value),
        )
