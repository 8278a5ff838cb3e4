"""Domain errors raised by services.

Services raise either Django's ValidationError (bad field values: the admin and the API show
it next to the field) or a DomainError (a business rule refuses the action: wrong state,
duplicate, limit reached). Both carry a stable `code` that API clients can rely on.
"""


class DomainError(Exception):
    """A business rule refused the action. `message` is already translated (lazy)."""

    code = "domain_error"
    status_code = 400

    def __init__(self, message, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def __str__(self) -> str:
        return str(self.message)


class InvalidTransition(DomainError):
    """A status change that the allowed-transitions map does not permit."""

    code = "invalid_transition"
    status_code = 409


class NotFound(DomainError):
    code = "not_found"
    status_code = 404
