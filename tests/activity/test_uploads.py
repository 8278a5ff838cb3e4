"""Receipt uploads: the type is read from the content (magic bytes), the name must agree,
10 MB at most, stored under a random name (never the client's)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activity.models import ExpenseLine
from apps.activity.services.uploads import receipt_check, receipt_storage_name

from .factories import expense_claim, expense_line, jpeg_bytes, pdf_bytes, png_bytes

TEN_MB = 10 * 1024 * 1024
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("facture.pdf", pdf_bytes, "application/pdf"),
        ("ticket.jpg", jpeg_bytes, "image/jpeg"),
        ("ticket.jpeg", jpeg_bytes, "image/jpeg"),
        ("ticket.JPG", jpeg_bytes, "image/jpeg"),
        ("photo.png", png_bytes, "image/png"),
        ("FACTURE.PDF", pdf_bytes, "application/pdf"),
        ("scan-sans-extension", png_bytes, "image/png"),
    ],
)
def test_real_files_are_accepted(name, content, expected):
    assert receipt_check(upload(name, content())) == expected


def test_the_browser_content_type_is_not_trusted():
    # A real PNG announced as text/html by the client is still a PNG.
    assert receipt_check(upload("photo.png", png_bytes(), "text/html")) == "image/png"


def test_html_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        receipt_check(upload("facture.pdf", HTML))
    message = error.value.message_dict["receipt"][0]
    assert message == (
        "“facture.pdf” is not a PDF, JPEG or PNG file (its content was checked, not its name)."
    )


def test_png_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        receipt_check(upload("facture.pdf", png_bytes()))
    assert error.value.message_dict["receipt"] == [
        "“facture.pdf” is named as a .pdf file but its content is a PNG image: upload the"
        " right file or rename it."
    ]


def test_pdf_named_html_is_refused():
    with pytest.raises(ValidationError, match="named as a .html file"):
        receipt_check(upload("page.html", pdf_bytes()))


def test_exactly_10_mb_is_accepted():
    content = b"%PDF-1.7\n" + b"0" * (TEN_MB - 9)
    assert len(content) == TEN_MB
    assert receipt_check(upload("gros.pdf", content)) == "application/pdf"


def test_10_mb_and_one_byte_is_refused():
    content = b"%PDF-1.7\n" + b"0" * (TEN_MB - 8)
    with pytest.raises(ValidationError) as error:
        receipt_check(upload("gros.pdf", content))
    assert error.value.message_dict["receipt"] == [
        "The file is 10.1 MB; the limit is 10.0 MB. Scan it at a lower resolution or split it."
    ]


def test_the_limit_is_a_setting(settings):
    settings.EXPENSE_RECEIPT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="the limit is 1.0 KB"):
        receipt_check(upload("a.pdf", b"%PDF-" + b"0" * 1020))
    assert receipt_check(upload("a.pdf", b"%PDF-" + b"0" * 1019)) == "application/pdf"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        receipt_check(upload("vide.pdf", b""))


def test_the_field_name_is_configurable_for_other_proofs():
    with pytest.raises(ValidationError) as error:
        receipt_check(ContentFile(HTML, name="preuve.pdf"), field="approval_proof")
    assert "approval_proof" in error.value.message_dict


def test_the_read_position_is_kept():
    file = upload("facture.pdf", pdf_bytes())
    file.seek(3)
    receipt_check(file)
    assert file.tell() == 3


def test_storage_name_is_random_under_the_consultant_folder():
    first = receipt_storage_name(consultant_id=42, content_type="image/png")
    second = receipt_storage_name(consultant_id=42, content_type="image/png")
    assert re.fullmatch(r"expenses/42/[0-9a-f]{32}\.png", first)
    assert first != second


@pytest.mark.django_db
def test_a_stored_receipt_never_uses_the_client_name(consultant_user):
    consultant = consultant_user.consultant
    claim = expense_claim(consultant)
    line = expense_line(claim, receipt=upload("../../etc/passwd facture client.pdf", pdf_bytes()))
    assert re.fullmatch(rf"expenses/{consultant.pk}/[0-9a-f]{{32}}\.pdf", line.receipt.name)
    assert line.receipt_content_type == "application/pdf"
    assert line.receipt.storage.exists(line.receipt.name)
    with line.receipt.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_a_refused_upload_writes_nothing(consultant_user, settings, tmp_path):
    claim = expense_claim(consultant_user.consultant)
    with pytest.raises(ValidationError):
        expense_line(claim, receipt=upload("facture.pdf", HTML))
    assert not ExpenseLine.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
