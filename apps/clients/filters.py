import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ClientCompany, LegalForm


class ClientFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(
        field_name="country", lookup_expr="iexact", label=_("Country (ISO code)")
    )
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices, label=_("Legal form"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    city = django_filters.CharFilter(
        field_name="billing_city", lookup_expr="iexact", label=_("Billing city")
    )

    class Meta:
        model = ClientCompany
        fields = ["country", "legal_form", "is_active", "city"]
