"""python manage.py export_invoices: paths printed, files written, clear errors."""

from io import StringIO

import facturx
import pytest
from django.core.management import CommandError, call_command

from .factories import make_issued_credit_note, make_issued_invoice


def run(*args) -> list[str]:
    out = StringIO()
    call_command("export_invoices", *args, stdout=out)
    return out.getvalue().splitlines()


def test_exports_every_issued_document_as_facturx(tmp_path, invoice):
    credit_note = make_issued_credit_note(invoice)
    paths = run("--format", "facturx", "--out", str(tmp_path))
    assert paths == [
        str(tmp_path / f"{invoice.number}.pdf"),
        str(tmp_path / f"{credit_note.number}.pdf"),
    ]
    _, xml = facturx.get_xml_from_pdf((tmp_path / f"{credit_note.number}.pdf").read_bytes())
    # Credit note: type code 381 and the credited invoice (BT-25).
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml
    assert f"<ram:IssuerAssignedID>{invoice.number}</ram:IssuerAssignedID>".encode() in xml
    invoice.refresh_from_db()
    assert invoice.pdf_file  # rendered and stored on the way


def test_xml_by_number_and_period(tmp_path, invoice, consultant_user):
    other = make_issued_invoice(consultant=consultant_user.consultant)
    assert run("--format", "xml", "--out", str(tmp_path), "--number", other.number) == [
        str(tmp_path / f"{other.number}.xml")
    ]
    assert (tmp_path / f"{other.number}.xml").read_bytes().startswith(b"<?xml")
    assert run("--format", "xml", "--out", str(tmp_path / "p"), "--from", "2026-05-01") == []
    assert (
        len(
            run(
                "--format",
                "xml",
                "--out",
                str(tmp_path / "q"),
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
            )
        )
        == 2
    )


def test_unknown_number_is_an_error(tmp_path, invoice):
    with pytest.raises(CommandError, match="Unknown or not issued document number"):
        run("--out", str(tmp_path / "x"), "--number", invoice.number, "F-2099-999999")
    assert not (tmp_path / "x").exists()
