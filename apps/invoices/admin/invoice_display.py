"""How an invoice reads in the admin: fields grouped as on the document, the VAT breakdown
as a table and the frozen parties as address blocks (not raw JSON)."""

from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from ..models import InvoiceStatus

DISPLAYS = ["vat_breakdown_display", "seller_display", "client_display", "contract_display"]
DISPLAYS += ["total_excl_display", "total_vat_display", "total_incl_display"]


def _eur(value) -> str:
    return f"{number_format(value or 0, 2, force_grouping=True)} €"


def _lines(*lines: str):
    """Non-empty lines, one per row."""
    kept = [(line,) for line in lines if line and line.strip()]
    return format_html_join(mark_safe("<br>"), "{}", kept) if kept else "—"


class InvoiceReadableFieldsMixin:
    """The admin lists DISPLAYS among its read-only fields for an existing invoice."""

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        document = ["kind", "status", "number", "issue_date", "due_date"]
        document += ["service_period_start", "service_period_end", "purchase_order_reference"]
        document += ["vat_regime", "language", "notes"]
        if obj.credited_invoice_id:
            document += ["credited_invoice", "credit_reason"]
        fieldsets = [
            (None, {"fields": document}),
            (_("Parties"), {"fields": ["client", "consultant", "commercial_contract"]}),
            (
                _("Amounts and payment terms"),
                {
                    "fields": [
                        "total_excl_display",
                        "total_vat_display",
                        "total_incl_display",
                        "vat_breakdown_display",
                        "payment_terms_label",
                        "late_payment_rate",
                        "recovery_indemnity",
                    ]
                },
            ),
        ]
        if obj.status != InvoiceStatus.DRAFT:
            fieldsets += [
                (
                    _("As printed on the document (frozen at issue)"),
                    {"fields": ["seller_display", "client_display", "contract_display"]},
                ),
                (
                    _("Legal copy"),
                    {
                        "fields": [
                            "pdf_file",
                            "pdf_sha256",
                            "pdf_rendered_at",
                            "issued_at",
                            "issued_by",
                            "created_by",
                        ]
                    },
                ),
            ]
        return fieldsets

    @display(description=_("Total excl. VAT"))
    def total_excl_display(self, invoice):
        return _eur(invoice.total_excl_tax)

    @display(description=_("Total VAT"))
    def total_vat_display(self, invoice):
        return _eur(invoice.total_vat)

    @display(description=_("Total incl. VAT"))
    def total_incl_display(self, invoice):
        return _eur(invoice.total_incl_tax)

    @display(description=_("VAT breakdown"))
    def vat_breakdown_display(self, invoice):
        rows = invoice.vat_breakdown or []
        if not rows:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{} % — {} {} → {} {}{}",
            (
                (
                    number_format(row.get("rate") or 0, 2),
                    _("base"),
                    _eur(row.get("base")),
                    _eur(row.get("vat")),
                    _("VAT"),
                    f" ({row['exemption_reason']})" if row.get("exemption_reason") else "",
                )
                for row in rows
            ),
        )

    @display(description=_("Seller"))
    def seller_display(self, invoice):
        s = invoice.seller_snapshot or {}
        return _lines(
            f"{s.get('legal_name', '')} ({s.get('legal_form', '')})",
            s.get("address_line1", ""),
            s.get("address_line2", ""),
            f"{s.get('postal_code', '')} {s.get('city', '')}",
            f"SIREN {s.get('siren', '')} · SIRET {s.get('siret', '')} · RCS {s.get('rcs_city', '')}",
            f"{_('VAT number')} {s.get('vat_number', '')}",
            f"IBAN {s.get('iban', '')} · BIC {s.get('bic', '')}" if s.get("iban") else "",
        )

    @display(description=_("Client"))
    def client_display(self, invoice):
        c = invoice.client_snapshot or {}
        contact = " ".join(
            part for part in (c.get("billing_contact_name"), c.get("billing_contact_email")) if part
        )
        return _lines(
            c.get("legal_name", ""),
            c.get("billing_address_line1", ""),
            c.get("billing_address_line2", ""),
            f"{c.get('billing_postal_code', '')} {c.get('billing_city', '')} "
            f"({c.get('billing_country', '')})",
            f"SIREN {c['siren']}" if c.get("siren") else c.get("registration_id", ""),
            f"{_('VAT number')} {c['vat_number']}" if c.get("vat_number") else "",
            contact,
        )

    @display(description=_("Contract"))
    def contract_display(self, invoice):
        c = invoice.contract_snapshot or {}
        return _lines(
            " — ".join(part for part in (c.get("reference"), c.get("consultant_name")) if part),
            c.get("description", ""),
            c.get("place_of_work", ""),
        )
