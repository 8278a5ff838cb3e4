"""/api/v1/activity-reports/: activity reports (CRA).

- GET  activity-reports/                list (filters: status, consultant, client, month)
- POST activity-reports/                create a draft {commercial_contract, month: "YYYY-MM"}
- GET  activity-reports/{id}/           one report with its calendar
- PUT  activity-reports/{id}/days/      replace the days {"days": [{"date", "fraction"}]}
- POST activity-reports/{id}/submit/    submit (the client's contact gets the approval link)
- POST activity-reports/{id}/approve/   staff record the client's approval (multipart + proof)
- POST activity-reports/{id}/reject/    staff send it back to draft {"reason"}
- POST activity-reports/{id}/validate/  staff validate an approved report
- POST activity-reports/validate-bulk/  staff validate several {"ids": [...]}

Consultants create, fill and submit their own reports only (someone else's id is a 404);
the staff actions answer 403 to consultants. Finance reads.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.accounts.permissions import RoleBasedPermission
from apps.accounts.roles import user_is_back_office
from apps.commercial_contracts.selectors import commercial_contracts_for_user

from ..models.reports import ActivityReport, ActivityReportStatus
from ..selectors.reports import activity_report_with_days, activity_reports_for_user
from ..serializers.reports import (
    ActivityDaysInputSerializer,
    ActivityReportApproveInputSerializer,
    ActivityReportBulkValidateInputSerializer,
    ActivityReportCreateInputSerializer,
    ActivityReportDetailOutputSerializer,
    ActivityReportOutputSerializer,
    ActivityReportRejectInputSerializer,
    BulkValidationOutputSerializer,
    parse_month,
)
from ..services import reports as services

TAGS = ["activity reports"]
ERRORS = {
    400: OpenApiResponse(description="Invalid input: {code, message, fields}."),
    403: OpenApiResponse(description="Not allowed for your role."),
    404: OpenApiResponse(description="No such report (or not yours)."),
    409: OpenApiResponse(description="Not allowed in the report's current status."),
}


class ActivityReportFilter(django_filters.FilterSet):
    """?status=submitted&status=client_approved&consultant=12&client=3&month=2026-05"""

    status = django_filters.MultipleChoiceFilter(choices=ActivityReportStatus.choices)
    consultant = django_filters.NumberFilter(field_name="consultant_id")
    client = django_filters.NumberFilter(field_name="commercial_contract__client_id")
    commercial_contract = django_filters.NumberFilter(field_name="commercial_contract_id")
    month = django_filters.CharFilter(method="filter_month", help_text="YYYY-MM")

    class Meta:
        model = ActivityReport
        fields = ["status", "consultant", "client", "commercial_contract", "month"]

    def filter_month(self, queryset, name, value):
        month = parse_month(value)
        if month is None:
            raise ValidationError({"month": _("Give the month as YYYY-MM, e.g. 2026-05.")})
        return queryset.filter(month=month)


@extend_schema_view(
    list=extend_schema(summary="List activity reports", tags=TAGS),
    retrieve=extend_schema(
        summary="An activity report with its calendar",
        responses={200: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Create a draft report for a contract and a month",
        request=ActivityReportCreateInputSerializer,
        responses={201: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    ),
)
class ActivityReportViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    # Consultants create, fill and submit their own reports (the queryset is scoped: someone
    # else's id is a 404); the staff actions check the back-office role (403 otherwise).
    consultant_access = "write"
    serializer_class = ActivityReportOutputSerializer
    filterset_class = ActivityReportFilter
    search_fields = [
        "commercial_contract__reference",
        "commercial_contract__client__legal_name",
        "consultant__last_name",
        "consultant__first_name",
    ]
    ordering_fields = ["month", "status", "submitted_at", "amount", "created_at"]
    ordering = ["-month", "-pk"]
    lookup_value_regex = "[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return activity_reports_for_user(self.request.user)

    def _report(self):
        """The report of the URL, scoped to the user (404 otherwise), with its days."""
        report = activity_report_with_days(self.kwargs["pk"], self.get_queryset())
        if report is None:
            raise Http404
        self.check_object_permissions(self.request, report)
        return report

    def _staff_only(self):
        if not user_is_back_office(self.request.user):
            raise PermissionDenied(_("Only staff can do this."))

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, report, **kwargs):
        fresh = activity_report_with_days(report.pk, self.get_queryset())
        return Response(ActivityReportDetailOutputSerializer(fresh).data, **kwargs)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ActivityReportOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ActivityReportDetailOutputSerializer(self._report()).data)

    def create(self, request):
        data = self._input(
            ActivityReportCreateInputSerializer,
            contracts=commercial_contracts_for_user(request.user),
        )
        report = services.activity_report_create(
            commercial_contract=data["commercial_contract"],
            month=data["month"],
            created_by=request.user,
        )
        return self._detail(report, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace the days of a draft",
        request=ActivityDaysInputSerializer,
        responses={200: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["put"])
    def days(self, request, pk=None):
        report = self._report()
        data = self._input(ActivityDaysInputSerializer)
        report = services.activity_report_set_days(
            report=report, days=data["days"], by=request.user
        )
        return self._detail(report)

    @extend_schema(
        summary="Submit: freezes the amount and e-mails the approval link to the client",
        request=None,
        responses={200: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = services.activity_report_submit(report=self._report(), by=request.user)
        return self._detail(report)

    @extend_schema(
        summary="Staff: record the client's approval received another way (with the proof)",
        request={"multipart/form-data": ActivityReportApproveInputSerializer},
        responses={200: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        self._staff_only()
        report = self._report()
        data = self._input(ActivityReportApproveInputSerializer)
        report = services.activity_report_record_approval(
            report=report,
            by=request.user,
            proof_file=data["proof_file"],
            approver_name=data["approver_name"],
            comment=data.get("comment", ""),
        )
        return self._detail(report)

    @extend_schema(
        summary="Staff: send the report back to draft with a reason",
        request=ActivityReportRejectInputSerializer,
        responses={200: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        self._staff_only()
        report = self._report()
        data = self._input(ActivityReportRejectInputSerializer)
        report = services.activity_report_reject(
            report=report, by=request.user, reason=data["reason"]
        )
        return self._detail(report)

    @extend_schema(
        summary="Staff: validate a report approved by the client",
        request=None,
        responses={200: ActivityReportDetailOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        self._staff_only()
        report = services.activity_report_validate(report=self._report(), by=request.user)
        return self._detail(report)

    @extend_schema(
        summary="Staff: validate several reports; each one is validated or refused with why",
        request=ActivityReportBulkValidateInputSerializer,
        responses={200: BulkValidationOutputSerializer, **ERRORS},
        tags=TAGS,
    )
    @action(detail=False, methods=["post"], url_path="validate-bulk")
    def validate_bulk(self, request):
        self._staff_only()
        data = self._input(ActivityReportBulkValidateInputSerializer, reports=self.get_queryset())
        result = services.activity_reports_validate_bulk(reports=data["ids"], by=request.user)
        return Response(
            BulkValidationOutputSerializer(
                {
                    "validated": [report.pk for report in result.validated],
                    "refused": [
                        {"id": report.pk, "message": message} for report, message in result.refused
                    ],
                }
            ).data
        )


router = SimpleRouter()
router.register("activity-reports", ActivityReportViewSet, basename="activity-report")

urlpatterns = router.urls
