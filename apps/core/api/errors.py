"""One error shape for the whole API: {"code", "message", "fields"} (DESIGN.md §3.9).

Messages are translated in the request's language (LocaleMiddleware reads Accept-Language).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import DomainError


def _flatten(detail) -> list[str] | dict:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat: list = []
        for item in detail:
            value = _flatten(item)
            flat.extend(value if isinstance(value, list) else [value])
        return flat
    return [force_str(detail)]


def _first_message(fields: dict) -> str:
    for key, messages in fields.items():
        if isinstance(messages, dict):
            return _first_message(messages)
        if messages:
            label = "" if key in ("non_field_errors", "__all__") else f"{key}: "
            return f"{label}{messages[0]}"
    return _("Invalid input.")


def django_validation_error_fields(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [force_str(m) for m in msgs]
            for key, msgs in error.message_dict.items()
        }
    return {"non_field_errors": [force_str(m) for m in error.messages]}


def error_response(code: str, message: str, fields: dict | None, http_status: int) -> Response:
    return Response(
        {"code": code, "message": force_str(message), "fields": fields or {}}, status=http_status
    )


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        fields = {k: _flatten(v) for k, v in exc.fields.items()}
        return error_response(exc.code, exc.message, fields, exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = django_validation_error_fields(exc)
        return error_response("invalid", _first_message(fields), fields, 400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        response.data = {"code": "invalid", "message": _first_message(fields), "fields": fields}
        return response
    detail = getattr(exc, "detail", "")
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    if response.status_code == status.HTTP_404_NOT_FOUND:
        code = "not_found"
    response.data = {"code": code, "message": force_str(detail), "fields": {}}
    return response
