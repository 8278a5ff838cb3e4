"""Factories and helpers for the activity app's tests (reports first; expense claims below).

`report_contract(...)` makes a commercial contract in force with a client that has a primary
operational contact, as the report services need; `report_create(...)` goes through the
service. Files: `pdf_bytes()` is a real PDF written by pypdf, `png_bytes()` and
`jpeg_bytes()` real images written by Pillow (the sniffing reads their magic numbers).
"""

import io
import re
from datetime import date
from decimal import Decimal

from django.core import mail
from django.test import TestCase
from PIL import Image

from apps.activity.services.reports import (
    activity_report_create,
    activity_report_set_days,
    activity_report_submit,
)
from apps.clients.models import ContactKind
from apps.commercial_contracts.models import CommercialContractVersion, ContractStatus, PricingKind
from tests.clients.factories import ClientContactFactory
from tests.commercial_contracts.factories import CommercialContractFactory
from tests.commercial_contracts.factories import pdf_bytes as _pdf_bytes

MAY_2026 = date(2026, 5, 1)


def pdf_bytes() -> bytes:
    return _pdf_bytes()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 255, 255)).save(buffer, format=fmt)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return _image("PNG")


def jpeg_bytes() -> bytes:
    return _image("JPEG")


def report_contract(
    *,
    consultant=None,
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
    daily_rate=Decimal("600.00"),
    status=ContractStatus.ACTIVE,
    operational_email="ops@client.example",
    billing_email=None,
    **kwargs,
):
    """An active daily-rate contract whose client has a primary operational contact."""
    extra = {"consultant": consultant} if consultant is not None else {}
    contract = CommercialContractFactory(
        start_date=start,
        end_date=end,
        status=status,
        terms__daily_rate=daily_rate,
        **extra,
        **kwargs,
    )
    if operational_email is not None:
        ClientContactFactory(
            client=contract.client,
            kind=ContactKind.OPERATIONAL,
            first_name="Paul",
            last_name="Opérations",
            email=operational_email,
            is_primary=True,
        )
    if billing_email is not None:
        ClientContactFactory(
            client=contract.client, kind=ContactKind.BILLING, email=billing_email, is_primary=True
        )
    return contract


def amendment(contract, *, effective_from: date, daily_rate=None, fixed_price=None, number=1):
    """A dated version of the terms (what commercial_contract_amend writes)."""
    return CommercialContractVersion.objects.create(
        contract=contract,
        number=number,
        effective_from=effective_from,
        start_date=contract.start_date,
        end_date=contract.end_date,
        pricing_kind=PricingKind.DAILY_RATE if daily_rate else PricingKind.FIXED_PRICE,
        daily_rate=daily_rate,
        fixed_price=fixed_price,
    )


def report_create(contract=None, month=MAY_2026, by=None, **contract_kwargs):
    contract = contract or report_contract(**contract_kwargs)
    return activity_report_create(commercial_contract=contract, month=month, created_by=by)


def full_days(*days: date) -> dict:
    return dict.fromkeys(days, Decimal("1"))


APPROVAL_LINK_RE = re.compile(r"/activity/approval/([A-Za-z0-9_\-]+)/")


def token_from_email(message) -> str:
    return APPROVAL_LINK_RE.search(message.body).group(1)


def submitted_report(contract=None, month=MAY_2026, days=None, **contract_kwargs):
    """A submitted report and the raw token read from the e-mail sent on commit."""
    report = report_create(contract, month, **contract_kwargs)
    days = days or full_days(date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6))
    activity_report_set_days(report=report, days=days, by=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = activity_report_submit(report=report, by=None)
    return report, token_from_email(mail.outbox[-1])


# --- expense claims (engineer E) ------------------------------------------------------------
# Claims and lines go through the services, like the API and the portal do. Receipts are
# real files (pdf_bytes / png_bytes / jpeg_bytes above) uploaded as SimpleUploadedFile.
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from apps.activity.models import ExpenseCategory  # noqa: E402
from apps.activity.services.expenses import (  # noqa: E402
    expense_claim_approve,
    expense_claim_create,
    expense_claim_submit,
    expense_line_add,
)
from apps.ledger.models import LedgerEntryKind  # noqa: E402
from apps.ledger.services import ledger_post  # noqa: E402

EXPENSE_DAY = date(2026, 3, 10)
RECEIPT_BYTES = {"pdf": pdf_bytes, "png": png_bytes, "jpg": jpeg_bytes}
RECEIPT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def receipt_upload(kind: str = "pdf", name: str | None = None, content: bytes | None = None):
    """An uploaded receipt: real content of `kind`, named `name` (default receipt.<kind>);
    the browser's content type is deliberately the one the name suggests."""
    data = RECEIPT_BYTES[kind]() if content is None else content
    name = name or f"receipt.{kind}"
    return SimpleUploadedFile(name, data, content_type=RECEIPT_TYPES.get(kind, "text/plain"))


def expense_claim(consultant, *, title: str = "Déplacement client Lyon", contract=None, by=None):
    return expense_claim_create(
        consultant=consultant, title=title, commercial_contract=contract, created_by=by
    )


def expense_line(
    claim,
    *,
    amount="120.00",
    vat="20.00",
    category=ExpenseCategory.MEALS,
    day=EXPENSE_DAY,
    description="Dîner client",
    receipt="pdf",
    **fields,
):
    upload = receipt_upload(receipt) if isinstance(receipt, str) else receipt
    return expense_line_add(
        claim=claim,
        date=day,
        category=category,
        description=description,
        amount_ttc=amount,
        vat_amount=vat,
        receipt=upload,
        **fields,
    )


def approved_claim(consultant, *, approver, amounts=("120.00",), contract=None, **line_fields):
    """A claim with one line per amount, submitted by nobody in particular and approved."""
    claim = expense_claim(consultant, contract=contract)
    for amount in amounts:
        expense_line(claim, amount=amount, vat="0.00", **line_fields)
    claim = expense_claim_submit(claim=claim, by=None)
    return expense_claim_approve(claim=claim, by=approver)


def fund(consultant, amount, *, on=date(2026, 1, 2), by):
    """Put money on the consultant's activity account (a staff adjustment)."""
    return ledger_post(
        consultant=consultant,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=Decimal(amount),
        entry_date=on,
        label="Apport de trésorerie (test)",
        created_by=by,
    )


PASSWORD = "S3cure-pass-for-tests!"  # tests/conftest.py's password of make_user
