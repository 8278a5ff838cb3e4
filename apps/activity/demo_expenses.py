"""Demo expense claims for `seed_demo`: one claim in each status for the portal demo
consultant, and a claim awaiting approval for two other demo consultants.

Idempotent: each demo claim is found again by its consultant and title and created (then
moved through its statuses) only when missing, always through the services. Receipts are
small valid files made here (a one-page PDF, a PNG image). The reimbursed claim is paid from
the consultant's activity account, which apps/ledger/demo.py seeds with an opening balance
(run `seed_ledger()` first); without enough balance it stays approved.
Texts are data, written in French like the rest of the demo data set.
"""

import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.commercial_contracts.selectors import commercial_contracts_active_for_consultant
from apps.consultants.demo import DEMO_DOMAIN, DEMO_PORTAL_EMAIL
from apps.consultants.selectors import consultant_list
from apps.ledger.selectors import ledger_available

from .models.expenses import ExpenseCategory, ExpenseClaim, ExpenseClaimStatus
from .services import expenses as services

Status = ExpenseClaimStatus
DEMO_STAFF_EMAIL = "staff@demo.portage.test"
DEMO_FINANCE_EMAIL = "finance@demo.portage.test"


# --- receipts -------------------------------------------------------------------------------
def demo_pdf(text: str = "Facture") -> bytes:
    """A one-page PDF (PDF 1.4) with one line of text and a correct cross-reference table."""
    safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 770 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_png(width: int = 24, height: int = 16, rgb: tuple[int, int, int] = (240, 240, 235)):
    """A plain RGB PNG (signature, IHDR, one zlib-compressed IDAT, IEND; PNG spec §5)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + bytes(rgb) * width  # filter type 0 + pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


# --- scenarios ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoLine:
    days_ago: int
    category: str
    description: str
    amount: str = ""
    vat: str = "0.00"
    receipt: str = "pdf"  # "pdf", "png" or "" (mileage)
    mileage: dict = field(default_factory=dict)
    rebill: bool = False


@dataclass(frozen=True)
class DemoClaim:
    title: str
    target: str
    lines: tuple[DemoLine, ...]
    with_contract: bool = False
    rejection: str = ""


PORTAL_CLAIMS = [
    DemoClaim(
        "Atelier client à Lyon",
        Status.REIMBURSED,
        (
            DemoLine(40, ExpenseCategory.TRANSPORT, "Train Paris - Lyon aller-retour", "86.40", "7.85"),
            DemoLine(40, ExpenseCategory.LODGING, "Hôtel Lyon Part-Dieu, 1 nuit", "118.00", "10.73"),
            DemoLine(40, ExpenseCategory.MEALS, "Dîner de travail", "32.50", "2.95", "png"),
        ),
        with_contract=True,
    ),
    DemoClaim(
        "Comité de pilotage à Grenoble",
        Status.APPROVED,
        (
            DemoLine(
                20,
                ExpenseCategory.MILEAGE,
                "Lyon - Grenoble aller-retour (voiture personnelle)",
                receipt="",
                mileage={
                    "vehicle_type": "car",
                    "fiscal_horsepower": 5,
                    "distance_km": Decimal("210"),
                    "yearly_distance_km": 12000,
                },
                rebill=True,
            ),
            DemoLine(20, ExpenseCategory.TRANSPORT, "Parking Grenoble centre", "12.00", "2.00", rebill=True),
        ),
        with_contract=True,
    ),
    DemoClaim(
        "Salon professionnel à Paris",
        Status.SUBMITTED,
        (
            DemoLine(8, ExpenseCategory.TRANSPORT, "Train Lyon - Paris", "112.00", "10.18"),
            DemoLine(8, ExpenseCategory.TRANSPORT, "Taxi gare de Lyon - Porte de Versailles", "38.00", "3.45", "png"),
        ),
    ),
    DemoClaim(
        "Fournitures de bureau",
        Status.REJECTED,
        (DemoLine(15, ExpenseCategory.OTHER, "Cartouches d'encre et papier", "64.90", "10.82", "png"),),
        rejection="Le ticket ne mentionne pas le fournisseur : joignez la facture à votre nom.",
    ),
    DemoClaim(
        "Déjeuner client",
        Status.DRAFT,
        (DemoLine(2, ExpenseCategory.MEALS, "Déjeuner avec le directeur des achats", "45.00", "4.09"),),
    ),
]  # fmt: skip

OTHER_CLAIMS = [
    DemoClaim(
        "Déplacement chez le client",
        Status.SUBMITTED,
        (
            DemoLine(
                12, ExpenseCategory.TRANSPORT, "Billet de train aller-retour", "74.00", "6.73"
            ),
            DemoLine(12, ExpenseCategory.MEALS, "Repas sur place", "19.80", "1.80", "png"),
        ),
    ),
]


def _user(email: str):
    users = get_user_model().objects
    return (
        users.filter(email=email).first() or users.filter(is_superuser=True).order_by("pk").first()
    )


def _add_line(claim: ExpenseClaim, line: DemoLine, today: date, contract) -> None:
    day = today - timedelta(days=line.days_ago)
    receipt = None
    if line.receipt == "pdf":
        receipt = ContentFile(demo_pdf(f"Justificatif - {line.description}"), name="facture.pdf")
    elif line.receipt == "png":
        receipt = ContentFile(demo_png(), name="ticket.png")
    services.expense_line_add(
        claim=claim,
        date=day,
        category=line.category,
        description=line.description,
        amount_ttc=line.amount or None,
        vat_amount=line.vat,
        receipt=receipt,
        rebill_to_client=line.rebill and bool(contract and contract.rebill_expenses),
        **line.mileage,
    )


def _seed_claim(consultant, scenario: DemoClaim, *, today, staff, finance) -> ExpenseClaim:
    existing = ExpenseClaim.objects.filter(consultant=consultant, title=scenario.title).first()
    if existing is not None:
        return existing
    contract = None
    if scenario.with_contract:
        contract = commercial_contracts_active_for_consultant(consultant).first()
    claim = services.expense_claim_create(
        consultant=consultant,
        title=scenario.title,
        commercial_contract=contract,
        created_by=consultant.user,
    )
    for line in scenario.lines:
        _add_line(claim, line, today, contract)
    if scenario.target == Status.DRAFT:
        return claim
    claim = services.expense_claim_submit(claim=claim, by=consultant.user)
    if scenario.target == Status.SUBMITTED or staff is None:
        return claim
    if scenario.target == Status.REJECTED:
        return services.expense_claim_reject(claim=claim, by=staff, reason=scenario.rejection)
    claim = services.expense_claim_approve(claim=claim, by=staff)
    if scenario.target == Status.REIMBURSED and claim.total_ttc <= ledger_available(consultant):
        claim = services.expense_claim_reimburse(claim=claim, by=finance or staff, on_date=today)
    return claim


@transaction.atomic
def seed_expense_claims(*, today: date | None = None) -> list[ExpenseClaim]:
    """Create the demo claims that are missing; returns every demo claim (new or found)."""
    today = today or timezone.localdate()
    consultants = list(consultant_list().filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk"))
    portal = next((c for c in consultants if c.email == DEMO_PORTAL_EMAIL), None)
    others = [c for c in consultants if c is not portal and c.status == "active"][:2]
    staff, finance = _user(DEMO_STAFF_EMAIL), _user(DEMO_FINANCE_EMAIL)
    claims = []
    if portal is not None:
        for scenario in PORTAL_CLAIMS:
            claims.append(_seed_claim(portal, scenario, today=today, staff=staff, finance=finance))
    for consultant in others:
        for scenario in OTHER_CLAIMS:
            claims.append(
                _seed_claim(consultant, scenario, today=today, staff=staff, finance=finance)
            )
    return claims
