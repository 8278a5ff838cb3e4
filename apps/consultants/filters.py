"""Query filters of the consultant list: ?status=active&status_cadre=cadre&city=lyon
&created_after=2026-01-01&created_before=2026-01-31."""

import django_filters

from .models import Consultant


class ConsultantFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Consultant.Status.choices)
    status_cadre = django_filters.ChoiceFilter(choices=Consultant.StatusCadre.choices)
    city = django_filters.CharFilter(field_name="city", lookup_expr="icontains")
    created = django_filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Consultant
        fields = ["status", "status_cadre", "city", "created"]
