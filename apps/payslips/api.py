"""/api/v1/payslips/: read-only. Staff and finance see every payslip, a consultant only
their own (the queryset is scoped: someone else's id is a 404)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from apps.accounts.permissions import RoleBasedPermission

from .models import Payslip
from .selectors import payslip_get_for_user, payslips_for_user
from .serializers import PayslipDetailOutputSerializer, PayslipOutputSerializer

TAGS = ["payslips"]


class PayslipFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="period", lookup_expr="year")
    period = django_filters.DateFilter(field_name="period")

    class Meta:
        model = Payslip
        fields = ["consultant", "period", "year", "kind", "employment_contract"]


@extend_schema_view(
    list=extend_schema(summary="List payslips (a consultant: their own)", tags=TAGS),
    retrieve=extend_schema(
        summary="A payslip with its lines", responses=PayslipDetailOutputSerializer, tags=TAGS
    ),
)
class PayslipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    consultant_access = "read"
    serializer_class = PayslipOutputSerializer
    filterset_class = PayslipFilter
    ordering_fields = ["period", "number", "gross", "net_paid"]
    ordering = ["-period", "number"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return payslips_for_user(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PayslipDetailOutputSerializer
        return PayslipOutputSerializer

    def get_object(self):
        from django.http import Http404

        payslip = payslip_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        if payslip is None:
            raise Http404
        return payslip
