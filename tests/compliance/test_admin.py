"""The unfold admin pages of the compliance app."""

import pytest
from django.urls import reverse

from apps.compliance.models import ActivityCategory
from apps.compliance.services import findings_acknowledge
from apps.compliance.types import Finding, Severity
from tests.consultants.factories import ConsultantFactory

from .factories import ContractAlertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_category_changelist_shows_excluded_badges(admin_client):
    response = admin_client.get(
        reverse("admin:compliance_activitycategory_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "SAP-06" in content and "IT-CONSULTING" in content


def test_category_added_through_the_admin_uses_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:compliance_activitycategory_add"),
        {"code": "audit", "label": "IT audit", "source": "", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActivityCategory.objects.get(code="AUDIT").label == "IT audit"


def test_category_code_and_exclusion_are_read_only_once_created(admin_client):
    category = ActivityCategory.objects.get(code="SAP-06")
    url = reverse("admin:compliance_activitycategory_change", args=[category.pk])
    response = admin_client.post(
        url,
        {
            "code": "OTHER",
            "label": "Housekeeping",
            "excluded": "",
            "source": category.source,
            "is_active": "",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.code, category.excluded, category.is_active) == ("SAP-06", True, False)
    assert category.label == "Housekeeping"


def test_categories_cannot_be_deleted(admin_client):
    category = ActivityCategory.objects.get(code="TRAINING")
    url = reverse("admin:compliance_activitycategory_delete", args=[category.pk])
    assert admin_client.get(url).status_code == 403


def test_alerts_and_acknowledgements_are_read_only(admin_client, staff_user):
    alert = ContractAlertFactory(message="Ends soon.")
    findings_acknowledge(
        obj=ConsultantFactory(),
        findings=[Finding("PR-03", Severity.WARN, "occasional_task_justification_missing", "m")],
        user=staff_user,
    )
    response = admin_client.get(reverse("admin:compliance_contractalert_changelist"))
    assert response.status_code == 200
    assert "Ends soon." in response.content.decode()
    assert reverse("admin:consultants_consultant_change", args=[alert.object_id]) in (
        response.content.decode()
    )
    response = admin_client.get(reverse("admin:compliance_findingacknowledgement_changelist"))
    assert response.status_code == 200
    assert "occasional_task_justification_missing" in response.content.decode()
    assert admin_client.get(reverse("admin:compliance_contractalert_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:compliance_findingacknowledgement_add")).status_code == 403
    )


def test_finance_reads_but_cannot_add_categories(client, finance_user):
    client.force_login(finance_user)
    assert client.get(reverse("admin:compliance_activitycategory_changelist")).status_code == 200
    assert client.get(reverse("admin:compliance_activitycategory_add")).status_code == 403
