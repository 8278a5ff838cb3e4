"""draft -> sent for signature -> signed -> active -> ended / terminated, through the services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.compliance.models import FindingAcknowledgement
from apps.consultants.services import consultant_update
from apps.core.errors import DomainError, InvalidTransition
from apps.employment_contracts import services
from apps.employment_contracts.models import EmploymentContract

from .factories import (
    ConsultantFactory,
    cdd_create,
    cdd_on_two_prestations,
    cdi_create,
    pdf_bytes,
    signed,
)

pytestmark = pytest.mark.django_db
S = EmploymentContract.Status


def test_full_lifecycle_of_a_cdd(staff_user):
    contract = cdd_create()
    contract = services.employment_contract_send_for_signature(contract=contract, by=staff_user)
    assert contract.status == S.SENT_FOR_SIGNATURE and contract.sent_for_signature_at
    contract = services.employment_contract_sign(
        contract=contract, by=staff_user, signed_pdf=pdf_bytes_file(), acknowledge_warnings=True
    )
    assert contract.status == S.SIGNED and contract.signed_at and contract.signed_pdf
    contract = services.employment_contract_activate(contract=contract, by=staff_user)
    assert contract.status == S.ACTIVE and contract.activated_at
    contract = services.employment_contract_end(contract=contract, by=staff_user)
    assert contract.status == S.ENDED and contract.ended_on == date(2026, 6, 30)
    assert [h.status for h in contract.history.order_by("history_date")][-1] == S.ENDED


def pdf_bytes_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("signed.pdf", pdf_bytes(), content_type="application/pdf")


def test_signing_twice_is_an_invalid_transition(staff_user):
    contract = signed(cdd_create(), staff_user)
    with pytest.raises(InvalidTransition) as excinfo:
        services.employment_contract_sign(
            contract=contract, by=staff_user, acknowledge_warnings=True
        )
    assert excinfo.value.status_code == 409
    assert "cannot go from" in str(excinfo.value)


def test_signing_a_draft_is_refused(staff_user):
    with pytest.raises(InvalidTransition):
        services.employment_contract_sign(
            contract=cdd_create(), by=staff_user, acknowledge_warnings=True
        )


def test_signature_needs_warnings_acknowledged_and_records_who(staff_user):
    contract = services.employment_contract_send_for_signature(
        contract=cdd_on_two_prestations(), by=staff_user
    )
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_sign(contract=contract, by=staff_user)
    assert excinfo.value.code == "warnings_not_acknowledged"
    assert [line.split(":")[0] for line in excinfo.value.fields["findings"]] == ["PR-15"]
    contract.refresh_from_db()
    assert contract.status == S.SENT_FOR_SIGNATURE
    assert not FindingAcknowledgement.objects.exists()

    services.employment_contract_sign(contract=contract, by=staff_user, acknowledge_warnings=True)
    acknowledgement = FindingAcknowledgement.objects.get()
    assert acknowledgement.rule_id == "PR-15"
    assert acknowledgement.code == "cdd_several_missions"
    assert acknowledgement.severity == "warn"
    assert acknowledgement.acknowledged_by == staff_user


def test_signature_without_warnings_needs_no_acknowledgement(staff_user):
    """A complete company profile and nothing else to warn about: signed as is."""
    contract = services.employment_contract_send_for_signature(contract=cdd_create(), by=staff_user)
    contract = services.employment_contract_sign(contract=contract, by=staff_user)
    assert contract.status == S.SIGNED
    assert not FindingAcknowledgement.objects.exists()


def test_signed_pdf_must_be_a_pdf(staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = services.employment_contract_send_for_signature(contract=cdd_create(), by=staff_user)
    fake = SimpleUploadedFile("signed.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_sign(
            contract=contract, by=staff_user, signed_pdf=fake, acknowledge_warnings=True
        )
    assert "signed_pdf" in excinfo.value.message_dict
    contract.refresh_from_db()
    assert contract.status == S.SENT_FOR_SIGNATURE and not contract.signed_pdf


def test_signature_date_in_the_future_refused(staff_user):
    contract = services.employment_contract_send_for_signature(contract=cdd_create(), by=staff_user)
    with pytest.raises(ValidationError):
        services.employment_contract_sign(
            contract=contract,
            by=staff_user,
            signed_at=timezone.now() + timedelta(days=1),
            acknowledge_warnings=True,
        )


def test_blocking_finding_refuses_sending_signature_and_activation(staff_user):
    # Diploma level 4 and 1.5 years: not eligible (PR-06, L1254-2 / CCN 2.2) -> BLOCK.
    consultant = ConsultantFactory(highest_diploma_level=4, years_of_experience="1.5")
    contract = cdd_create(consultant=consultant)
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_send_for_signature(contract=contract, by=staff_user)
    assert excinfo.value.code == "compliance_blocked"
    assert any(line.startswith("PR-06:") for line in excinfo.value.fields["findings"])
    contract.refresh_from_db()
    assert contract.status == S.DRAFT


def test_activation_checks_again(staff_user):
    contract = signed(cdd_create(), staff_user)
    consultant_update(
        consultant=contract.consultant,
        updated_by=staff_user,
        highest_diploma_level=4,
        years_of_experience="1",
    )
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_activate(contract=contract, by=staff_user)
    assert excinfo.value.code == "compliance_blocked"
    contract.refresh_from_db()
    assert contract.status == S.SIGNED


def test_missing_expertise_blocks_sending(staff_user):
    contract = cdi_create(consultant_expertise="")
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_send_for_signature(contract=contract, by=staff_user)
    assert any(line.startswith("EC-I04:") for line in excinfo.value.fields["findings"])


def test_expertise_defaults_from_the_commercial_contract():
    contract = cdd_create(consultant_expertise="")
    commercial = contract.commercial_contracts.get()
    assert contract.consultant_expertise == commercial.consultant_expertise


def test_cdd_without_commercial_contract_blocks_sending(staff_user):
    contract = cdd_create(commercial_contracts=[])
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_send_for_signature(contract=contract, by=staff_user)
    assert any(line.startswith("EC-D11:") for line in excinfo.value.fields["findings"])


def test_terminate_needs_a_reason_and_a_date_within_the_contract(staff_user):
    contract = signed(cdd_create(), staff_user, activate=True)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_terminate(
            contract=contract, by=staff_user, terminated_on=date(2026, 3, 31), reason=" "
        )
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_terminate(
            contract=contract, by=staff_user, terminated_on=date(2026, 7, 1), reason="Faute"
        )
    assert "2026-06-30" in excinfo.value.message_dict["terminated_on"][0]
    contract = services.employment_contract_terminate(
        contract=contract,
        by=staff_user,
        terminated_on=date(2026, 3, 31),
        reason="Rupture anticipée d'un commun accord",
    )
    assert contract.status == S.TERMINATED
    with pytest.raises(InvalidTransition):
        services.employment_contract_terminate(
            contract=contract, by=staff_user, terminated_on=date(2026, 4, 1), reason="Encore"
        )


def test_a_draft_can_be_abandoned(staff_user):
    contract = services.employment_contract_terminate(
        contract=cdd_create(), by=staff_user, terminated_on=date(2025, 12, 1), reason="Abandon"
    )
    assert contract.status == S.TERMINATED


def test_cdd_ends_on_its_end_date_only(staff_user):
    contract = signed(cdd_create(), staff_user, activate=True)
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_end(
            contract=contract, by=staff_user, ended_on=date(2026, 6, 15)
        )
    assert "terminate it early" in excinfo.value.message_dict["ended_on"][0]


def test_cdi_ends_on_the_given_date(staff_user):
    contract = signed(cdi_create(), staff_user, activate=True)
    contract = services.employment_contract_end(
        contract=contract, by=staff_user, ended_on=date(2026, 9, 30)
    )
    assert contract.ended_on == date(2026, 9, 30)


def test_ending_a_signed_contract_that_never_started_is_refused(staff_user):
    with pytest.raises(InvalidTransition):
        services.employment_contract_end(contract=signed(cdi_create(), staff_user), by=staff_user)


def test_link_commercial_contract_to_an_active_cdi(staff_user):
    from .factories import CommercialContractFactory

    contract = signed(cdi_create(), staff_user, activate=True)
    mission = CommercialContractFactory(consultant=contract.consultant)
    contract = services.employment_contract_link_commercial_contracts(
        contract=contract, commercial_contracts=[mission], by=staff_user
    )
    assert list(contract.commercial_contracts.all()) == [mission]
