"""/api/v1/payroll/runs/: start a run (staff), list and read runs with their progress,
resume one, read its journal (JSON, or CSV with ?format=csv)."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission

from .selectors import payroll_run_get, payroll_run_journal, payroll_run_list
from .serializers import (
    JournalOutputSerializer,
    PayrollRunExecuteInputSerializer,
    PayrollRunOutputSerializer,
    PayrollRunStartInputSerializer,
    PayrollRunStartOutputSerializer,
)
from .services import journal_csv_stream, journal_filename, payroll_run_start
from .tasks import payroll_run_schedule

TAGS = ["payroll"]


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@extend_schema_view(
    list=extend_schema(summary="List payroll runs with their item counts", tags=TAGS),
    retrieve=extend_schema(summary="A payroll run and its progress", tags=TAGS),
)
class PayrollRunViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    serializer_class = PayrollRunOutputSerializer
    queryset = payroll_run_list()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return payroll_run_list()

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PayrollRunOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(PayrollRunOutputSerializer(self.get_object()).data)

    @extend_schema(
        summary="Start the run of a period (a second start is a no-op, 200 with a notice)",
        request=PayrollRunStartInputSerializer,
        responses={201: PayrollRunStartOutputSerializer, 200: PayrollRunStartOutputSerializer},
        tags=TAGS,
    )
    def create(self, request):
        serializer = PayrollRunStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = payroll_run_start(period=serializer.validated_data["period"], started_by=request.user)
        if not run.already_started:
            payroll_run_schedule(run.pk)
        data = {
            "run": payroll_run_get(run.pk),
            "already_started": run.already_started,
            "notice": run.notice,
        }
        code = status.HTTP_200_OK if run.already_started else status.HTTP_201_CREATED
        return Response(PayrollRunStartOutputSerializer(data).data, status=code)

    @extend_schema(
        summary="Resume the run: process pending (and, if asked, failed) items",
        request=PayrollRunExecuteInputSerializer,
        responses={202: PayrollRunOutputSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        run = self.get_object()
        serializer = PayrollRunExecuteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payroll_run_schedule(run.pk, retry_failed=serializer.validated_data["retry_failed"])
        return Response(PayrollRunOutputSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The run's journal: totals per line code (CSV with ?format=csv)",
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], required=False)
        ],
        responses={200: JournalOutputSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CSVRenderer])
    def journal(self, request, pk=None):
        journal = payroll_run_journal(self.get_object())
        if request.accepted_renderer.format == "csv":
            response = StreamingHttpResponse(
                journal_csv_stream(journal), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{journal_filename(journal)}"'
            return response
        return Response(JournalOutputSerializer(journal).data)
