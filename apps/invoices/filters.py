"""FilterSets of the invoices app (django-filter), shared by the API and the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind, Invoice, InvoiceStatus
from .selectors.invoices import overdue_q


class InvoiceFilter(django_filters.FilterSet):
    """?client=3&consultant=12&status=issued&status=sent&kind=invoice
    &issue_date_from=2026-01-01&issue_date_to=2026-03-31&overdue=true"""

    client = django_filters.NumberFilter(field_name="client_id")
    consultant = django_filters.NumberFilter(field_name="consultant_id")
    commercial_contract = django_filters.NumberFilter(field_name="commercial_contract_id")
    status = django_filters.MultipleChoiceFilter(choices=InvoiceStatus.choices)
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    issue_date_from = django_filters.DateFilter(
        field_name="issue_date", lookup_expr="gte", label=_("issued from")
    )
    issue_date_to = django_filters.DateFilter(
        field_name="issue_date", lookup_expr="lte", label=_("issued until")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains")

    class Meta:
        model = Invoice
        fields = [
            "client",
            "consultant",
            "commercial_contract",
            "status",
            "kind",
            "issue_date_from",
            "issue_date_to",
            "overdue",
            "number",
        ]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
