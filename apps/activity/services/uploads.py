"""Checks and storage names for uploaded receipts (and any other proof: approval scans).

The type of a file is read from its CONTENT (the magic bytes at its start), never from its
name nor from the Content-Type the browser sent, both chosen by the client. A name whose
extension disagrees with the content (an HTML page renamed .pdf, a PNG named .pdf) is
refused too, so that what the back office downloads is what its name says. Stored files get
a random name under the consultant's folder: the client's file name never reaches a path.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# (magic bytes at offset 0, content type): PDF 1.x/2.0 header "%PDF-" (ISO 32000-1 §7.5.2),
# JPEG SOI marker + first marker byte, PNG 8-byte signature (PNG spec §5.2).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    PNG: frozenset({"png"}),
}
# The extension given to stored files of each type.
STORED_EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
KIND_LABELS = {PDF: _("a PDF document"), JPEG: _("a JPEG image"), PNG: _("a PNG image")}
HEADER_BYTES = max(len(magic) for magic, _type in SIGNATURES)
# For <input type="file" accept="...">: a hint for the browser, not a check.
ACCEPT = ".pdf,.jpg,.jpeg,.png"


def receipt_max_bytes() -> int:
    return int(getattr(settings, "EXPENSE_RECEIPT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _human(size: int, *, round_up: bool = False) -> str:
    """1.0 KB / 10.0 MB; `round_up` so that a file just over the limit never reads as the
    limit itself (10 MB + 1 byte -> 10.1 MB)."""
    unit, label = (1024 * 1024, "MB") if size >= 1024 * 1024 else (1024, "KB")
    tenths = -(-size * 10 // unit) if round_up else round(size * 10 / unit)
    return f"{tenths / 10:.1f} {label}"


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return int(size)


def _header(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(HEADER_BYTES)
    file.seek(position)
    return bytes(head or b"")


def content_type_of(head: bytes) -> str | None:
    """The content type the first bytes announce, or None if none of the accepted ones."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def receipt_check(file, *, field: str = "receipt") -> str:
    """Check an uploaded receipt and return its content type (application/pdf, image/jpeg
    or image/png), read from its content.

    Refused with a ValidationError on `field` (nothing is stored): an empty file, a file
    over EXPENSE_RECEIPT_MAX_BYTES (default 10 MB, exactly the limit is accepted), a content
    that is none of PDF/JPEG/PNG, or a name whose extension says another type.
    """
    if file is None:
        raise ValidationError({field: _("Attach the receipt (PDF, JPEG or PNG).")})
    size = _size(file)
    limit = receipt_max_bytes()
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {
                field: _(
                    "The file is %(size)s; the limit is %(limit)s. Scan it at a lower"
                    " resolution or split it."
                )
                % {"size": _human(size, round_up=True), "limit": _human(limit)}
            }
        )
    content_type = content_type_of(_header(file))
    name = PurePath(str(getattr(file, "name", "") or "")).name
    if content_type is None:
        message = _(
            "This file is not a PDF, JPEG or PNG file (its content was checked, not its name)."
        )
        if name:
            message = _(
                "“%(name)s” is not a PDF, JPEG or PNG file (its content was checked, not its name)."
            ) % {"name": name}
        raise ValidationError({field: message})
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension and extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            {
                field: _(
                    "“%(name)s” is named as a .%(extension)s file but its content is"
                    " %(kind)s: upload the right file or rename it."
                )
                % {"name": name, "extension": extension, "kind": KIND_LABELS[content_type]}
            }
        )
    return content_type


def receipt_extension(content_type: str) -> str:
    return STORED_EXTENSION[content_type]


def receipt_storage_name(*, consultant_id: int, content_type: str) -> str:
    """expenses/<consultant_id>/<uuid>.<ext>: a random name, never the client's."""
    return f"expenses/{int(consultant_id)}/{uuid.uuid4().hex}.{receipt_extension(content_type)}"
