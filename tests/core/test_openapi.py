"""The OpenAPI schema generates cleanly: no warning, valid OpenAPI 3."""

from django.core.management import call_command


def test_schema_is_valid_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/consultants/" in text
    assert "/api/v1/commercial-contracts/{id}/sign/" in text
