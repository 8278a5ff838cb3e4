"""Lifecycle of a commercial contract through its services: create, update, send, sign,
activate, end, terminate; refusals leave nothing half-written."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.roles import Role
from apps.clients.models import ClientCompany
from apps.commercial_contracts import services
from apps.commercial_contracts.models import (
    CommercialContract,
    CommercialContractVersion,
    ContractStatus,
)
from apps.compliance.models import FindingAcknowledgement
from apps.compliance.periods import period_last_day
from apps.core.errors import DomainError, InvalidTransition
from apps.core.models import DocumentSequence
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import (
    END,
    START,
    company_profile_replaced,
    contract_create,
    contract_fields,
    excluded_category,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


def sent(contract, staff):
    return services.commercial_contract_send_for_signature(contract=contract, by=staff)


def signed(contract, staff, **kwargs):
    contract = sent(contract, staff)
    kwargs.setdefault("acknowledge_warnings", True)
    return services.commercial_contract_sign(
        contract=contract, by=staff, signed_pdf=pdf_bytes(), **kwargs
    )


def rules_of(error) -> set[str]:
    return {line.split(":")[0] for line in error.fields["findings"]}


# --- create ---------------------------------------------------------------------------------


def test_create_gives_a_reference_and_the_original_terms(staff):
    contract = contract_create(created_by=staff)
    assert contract.reference == f"CC-{timezone.localdate().year}-000001"
    assert contract.status == ContractStatus.DRAFT
    version = contract.versions.get()
    assert version.number == 0
    assert version.effective_from == START
    assert (version.start_date, version.end_date) == (START, END)
    assert version.daily_rate == Decimal("600.00")
    assert contract.history.get().history_user == staff
    second = contract_create()
    assert second.reference.endswith("-000002")


def test_create_refused_for_a_service_a_la_personne_saves_nothing(staff):
    with pytest.raises(DomainError) as error:
        contract_create(activity_category=excluded_category("SAP-06"), created_by=staff)
    assert error.value.code == "compliance_blocked"
    assert "PR-02" in rules_of(error.value)
    assert "SAP-06" in str(error.value)
    assert not CommercialContract.objects.exists()
    assert not CommercialContractVersion.objects.exists()
    # The reference number is given back with the rollback (gapless numbering).
    assert not DocumentSequence.objects.filter(last_number__gt=0).exists()


def test_create_refused_for_a_client_without_siren():
    client = ClientCompanyFactory()
    # Forced past the model validation: PR-01 still refuses it at the contract level.
    ClientCompany.objects.filter(pk=client.pk).update(siren="", siret="")
    client.refresh_from_db()
    with pytest.raises(DomainError) as error:
        contract_create(client=client)
    assert "PR-01" in rules_of(error.value)
    assert not CommercialContract.objects.exists()


@pytest.mark.parametrize(
    ("extra_days", "blocked"),
    [(-1, False), (0, False), (1, True)],
    ids=["day-before-limit", "day-of-limit", "day-after-limit"],
)
def test_create_36_month_limit_edges(extra_days, blocked):
    """PR-05: 2026-03-02 + 36 months -> last allowed day 2029-03-01."""
    limit = period_last_day(START, 36)
    assert limit == date(2029, 3, 1)
    fields = contract_fields(end_date=limit + timedelta(days=extra_days))
    if blocked:
        with pytest.raises(DomainError) as error:
            services.commercial_contract_create(**fields)
        assert rules_of(error.value) == {"PR-05"}
        assert "2029-03-01" in str(error.value)
        assert not CommercialContract.objects.exists()
    else:
        contract = services.commercial_contract_create(**fields)
        assert {f.code for f in contract.findings} >= {"mission_near_limit"}


def test_36_months_are_summed_across_contracts_with_the_same_client():
    first = contract_create(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    with pytest.raises(DomainError) as error:
        contract_create(
            client=first.client,
            consultant=first.consultant,
            start_date=date(2028, 6, 1),
            end_date=date(2029, 6, 30),
        )
    assert rules_of(error.value) == {"PR-05"}
    # Another client: its own count.
    other = contract_create(
        consultant=first.consultant, start_date=date(2028, 6, 1), end_date=date(2029, 6, 30)
    )
    assert other.pk


def test_create_with_an_end_before_the_start_names_the_field():
    with pytest.raises(ValidationError) as error:
        contract_create(end_date=START - timedelta(days=1))
    assert "end_date" in error.value.message_dict
    assert not CommercialContract.objects.exists()


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-10.00")])
def test_create_with_a_rate_not_above_zero_is_refused(rate):
    with pytest.raises(ValidationError) as error:
        contract_create(daily_rate=rate)
    assert "daily_rate" in error.value.message_dict
    assert not CommercialContract.objects.exists()


def test_create_for_a_deactivated_client_or_a_consultant_who_left_is_refused():
    client = ClientCompanyFactory(is_active=False)
    with pytest.raises(ValidationError) as error:
        contract_create(client=client)
    assert "client" in error.value.message_dict
    consultant = ConsultantFactory(status="left", left_on=date(2025, 1, 31))
    with pytest.raises(ValidationError) as error:
        contract_create(consultant=consultant)
    assert "consultant" in error.value.message_dict


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as error:
        contract_create(status=ContractStatus.ACTIVE)
    assert "status" in error.value.message_dict


# --- update ---------------------------------------------------------------------------------


def test_update_changes_the_draft_and_its_original_terms(staff):
    contract = contract_create()
    updated = services.commercial_contract_update(
        contract=contract,
        updated_by=staff,
        end_date=date(2026, 12, 31),
        pricing_kind="fixed_price",
        fixed_price=Decimal("30000.00"),
    )
    version = updated.versions.get()
    assert version.end_date == date(2026, 12, 31)
    assert version.pricing_kind == "fixed_price"
    assert version.daily_rate is None
    assert version.fixed_price == Decimal("30000.00")


def test_update_refused_once_sent(staff):
    contract = sent(contract_create(), staff)
    with pytest.raises(DomainError) as error:
        services.commercial_contract_update(contract=contract, updated_by=staff, description="x")
    assert error.value.code == "contract_not_editable"


# --- send, sign, activate, end ---------------------------------------------------------------


def test_send_needs_the_pr03_justification_and_the_expertise(staff):
    contract = contract_create(occasional_task_justification="", consultant_expertise="")
    with pytest.raises(ValidationError) as error:
        sent(contract, staff)
    assert set(error.value.message_dict) == {
        "occasional_task_justification",
        "consultant_expertise",
    }
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_send_refused_while_company_mentions_are_missing(staff):
    company = company_profile_replaced(rc_insurer_name="", rc_policy_number="")
    contract = contract_create()
    with pytest.raises(DomainError) as error:
        sent(contract, staff)
    assert error.value.code == "company_mentions_missing"
    assert error.value.fields["findings"] == [
        "CC-09: civil-liability insurer (L1254-23 9°)",
        "CC-09: civil-liability policy number (L1254-23 9°)",
    ]
    assert "CC-09: civil-liability insurer (L1254-23 9°)" in str(error.value)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert contract.sent_for_signature_at is None

    company.rc_insurer_name = "Assureur RC Exemple"
    company.rc_policy_number = "RCP-000123"
    company.save()
    assert sent(contract, staff).status == ContractStatus.SENT_FOR_SIGNATURE


def test_send_refused_without_a_financial_guarantor(staff):
    company_profile_replaced(financial_guarantor_name="")
    contract = contract_create()
    with pytest.raises(DomainError) as error:
        sent(contract, staff)
    assert error.value.fields["findings"] == ["CC-08: financial guarantor (L1254-23 8°)"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_sign_without_warnings_needs_no_acknowledgement(staff):
    """A complete company profile and nothing to warn about (a new consultant's first
    prestation, next week: no dependence figure yet): signed as is."""
    today = timezone.localdate()
    contract = contract_create(
        start_date=today + timedelta(days=7), end_date=today + timedelta(days=97)
    )
    assert services.commercial_contract_check(contract=contract) == []
    contract = services.commercial_contract_sign(
        contract=sent(contract, staff), by=staff, signed_pdf=pdf_bytes()
    )
    assert contract.status == ContractStatus.SIGNED
    assert not FindingAcknowledgement.objects.exists()


def test_full_lifecycle(staff):
    contract = contract_create(created_by=staff)
    contract = sent(contract, staff)
    assert contract.sent_for_signature_at is not None
    contract = services.commercial_contract_sign(
        contract=contract,
        by=staff,
        signed_pdf=SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf"),
        signed_by_client_name="Claire Martin",
        acknowledge_warnings=True,
    )
    assert contract.status == ContractStatus.SIGNED
    assert contract.signed_pdf.name.startswith("contracts/signed/")
    assert contract.signed_pdf.read().startswith(b"%PDF-")
    contract = services.commercial_contract_activate(contract=contract, by=staff)
    assert contract.status == ContractStatus.ACTIVE
    assert contract.activated_at is not None
    contract = services.commercial_contract_end(contract=contract, by=staff)
    assert contract.status == ContractStatus.ENDED
    assert contract.ended_on == END
    statuses = list(contract.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "sent_for_signature", "signed", "active", "ended"]


def test_sign_refused_when_the_striker_declaration_is_missing(staff):
    contract = sent(contract_create(not_replacing_striker=None), staff)
    with pytest.raises(DomainError) as error:
        services.commercial_contract_sign(
            contract=contract, by=staff, signed_pdf=pdf_bytes(), acknowledge_warnings=True
        )
    assert error.value.code == "compliance_blocked"
    assert rules_of(error.value) == {"PR-04"}
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SENT_FOR_SIGNATURE
    assert not contract.signed_pdf


def test_sign_refused_for_dangerous_work(staff):
    contract = sent(contract_create(dangerous_work=True), staff)
    with pytest.raises(DomainError) as error:
        services.commercial_contract_sign(contract=contract, by=staff, signed_pdf=pdf_bytes())
    assert "PR-04" in rules_of(error.value)


def test_sign_refused_for_an_ineligible_consultant(staff):
    consultant = ConsultantFactory(highest_diploma_level=4, years_of_experience=Decimal("1"))
    contract = sent(contract_create(consultant=consultant), staff)
    with pytest.raises(DomainError) as error:
        services.commercial_contract_sign(contract=contract, by=staff, signed_pdf=pdf_bytes())
    assert "PR-06" in rules_of(error.value)


def test_sign_with_warnings_needs_an_acknowledgement_then_records_who(staff):
    near_limit = period_last_day(START, 36) - timedelta(days=10)  # PR-05 warning (33 months)
    contract = sent(contract_create(end_date=near_limit), staff)
    with pytest.raises(DomainError) as error:
        services.commercial_contract_sign(contract=contract, by=staff, signed_pdf=pdf_bytes())
    assert error.value.code == "warnings_not_acknowledged"
    assert any("PR-05" in line for line in error.value.fields["findings"])
    assert not FindingAcknowledgement.objects.exists()
    contract = services.commercial_contract_sign(
        contract=contract, by=staff, signed_pdf=pdf_bytes(), acknowledge_warnings=True
    )
    acknowledgement = FindingAcknowledgement.objects.get(code="mission_near_limit")
    assert acknowledgement.acknowledged_by == staff
    assert acknowledgement.rule_id == "PR-05"
    assert acknowledgement.object_id == contract.pk


def test_signing_twice_is_an_invalid_transition(staff):
    contract = signed(contract_create(), staff)
    with pytest.raises(InvalidTransition) as error:
        services.commercial_contract_sign(contract=contract, by=staff, signed_pdf=pdf_bytes())
    assert error.value.status_code == 409
    assert contract.reference in str(error.value)


def test_sign_needs_a_pdf(staff):
    contract = sent(contract_create(), staff)
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_sign(contract=contract, by=staff)
    assert "signed_pdf" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_sign(
            contract=contract, by=staff, signed_pdf=SimpleUploadedFile("scan.pdf", b"GIF89a...")
        )
    assert "signed_pdf" in error.value.message_dict
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SENT_FOR_SIGNATURE


def test_sign_refuses_a_pdf_over_10_mb(staff):
    contract = sent(contract_create(), staff)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_sign(contract=contract, by=staff, signed_pdf=big)
    assert "10 MB" in error.value.message_dict["signed_pdf"][0]


def test_sign_date_cannot_be_in_the_future(staff):

    contract = sent(contract_create(), staff)
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_sign(
            contract=contract,
            by=staff,
            signed_pdf=pdf_bytes(),
            signed_at=timezone.now() + timedelta(days=2),
        )
    assert "signed_at" in error.value.message_dict


def test_reopen_puts_a_sent_contract_back_to_draft(staff):
    contract = sent(contract_create(), staff)
    contract = services.commercial_contract_reopen(contract=contract, by=staff)
    assert contract.status == ContractStatus.DRAFT
    assert contract.sent_for_signature_at is None


def test_activate_only_from_signed(staff):
    contract = contract_create()
    with pytest.raises(InvalidTransition):
        services.commercial_contract_activate(contract=contract, by=staff)


def test_activation_rechecks_the_rules(staff):
    consultant = ConsultantFactory()
    contract = signed(contract_create(consultant=consultant), staff)
    # The eligibility evidence disappears after the signature: activation is refused.
    type(consultant).objects.filter(pk=consultant.pk).update(
        highest_diploma_level=None, years_of_experience=None
    )
    contract.consultant.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.commercial_contract_activate(contract=contract, by=staff)
    assert "PR-06" in rules_of(error.value)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED


# --- terminate and end ----------------------------------------------------------------------


def test_terminate_needs_a_reason_and_a_date_within_the_contract(staff):
    contract = services.commercial_contract_activate(
        contract=signed(contract_create(), staff), by=staff
    )
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_terminate(
            contract=contract, by=staff, terminated_on=date(2026, 5, 31), reason="  "
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_terminate(
            contract=contract, by=staff, terminated_on=END + timedelta(days=1), reason="Fin"
        )
    assert "terminated_on" in error.value.message_dict
    contract = services.commercial_contract_terminate(
        contract=contract, by=staff, terminated_on=date(2026, 5, 31), reason="Réorganisation"
    )
    assert contract.status == ContractStatus.TERMINATED
    assert contract.effective_end == date(2026, 5, 31)
    with pytest.raises(InvalidTransition):
        services.commercial_contract_terminate(
            contract=contract, by=staff, terminated_on=date(2026, 5, 31), reason="Encore"
        )


def test_a_draft_can_be_abandoned(staff):
    contract = services.commercial_contract_terminate(
        contract=contract_create(), by=staff, terminated_on=date(2026, 1, 15), reason="Abandon"
    )
    assert contract.status == ContractStatus.TERMINATED


def test_end_date_must_lie_within_the_contract(staff):
    contract = services.commercial_contract_activate(
        contract=signed(contract_create(), staff), by=staff
    )
    with pytest.raises(ValidationError) as error:
        services.commercial_contract_end(
            contract=contract, by=staff, ended_on=END + timedelta(days=1)
        )
    assert "ended_on" in error.value.message_dict
    contract = services.commercial_contract_end(
        contract=contract, by=staff, ended_on=date(2026, 8, 14)
    )
    assert contract.ended_on == date(2026, 8, 14)
