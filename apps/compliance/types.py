"""Severity and Finding: the result type of every compliance check (re-exported by engine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    BLOCK = "block"  # refuses signature/activation (and creation for PR-01/02/05)
    WARN = "warn"  # shown; signing needs the warning acknowledged (recorded with who)


@dataclass(frozen=True)
class Finding:
    rule_id: str  # "PR-05"
    severity: Severity
    code: str  # stable, e.g. "mission_too_long"
    message: str  # already translated in the language active when the check ran
    figures: dict[str, str] = field(default_factory=dict)  # str(Decimal), date.isoformat()

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCK

    def as_dict(self) -> dict:
        """JSON-ready form, for API responses and DomainError.fields["findings"]."""
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "figures": dict(self.figures),
        }
