"""ActivityCategory: the rows loaded by the data migration and the model's rules."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from apps.compliance import data
from apps.compliance.engine import check_commercial_contract
from apps.compliance.models import ActivityCategory
from apps.compliance.selectors import activity_categories_active, activity_category_get
from apps.compliance.services import activity_category_create, activity_category_update

from .factories import codes, commercial_facts

pytestmark = pytest.mark.django_db

migration = importlib.import_module("apps.compliance.migrations.0002_load_activity_categories")


def test_the_migration_loaded_every_category_with_its_source():
    rows = data.activity_category_rows()
    assert ActivityCategory.objects.count() == len(rows)
    assert ActivityCategory.objects.filter(excluded=True).count() == 27  # SAP-01..SAP-27
    sap = ActivityCategory.objects.get(code="SAP-06")
    assert (sap.excluded, sap.exclusion_rule) == (True, "PR-02")
    assert "L1254-5" in sap.source and "D7231-1 II 1°" in sap.source
    it = ActivityCategory.objects.get(code="IT-CONSULTING")
    assert (it.excluded, it.exclusion_rule, it.is_active) == (False, "", True)


def test_every_loaded_row_passes_the_model_validation():
    for category in ActivityCategory.objects.all():
        category.full_clean()


def test_the_migration_is_idempotent_and_keeps_the_active_flag():
    ActivityCategory.objects.filter(code="DESIGN").update(is_active=False, label="Old label")
    count = ActivityCategory.objects.count()
    migration.load(django_apps, None)
    assert ActivityCategory.objects.count() == count
    design = ActivityCategory.objects.get(code="DESIGN")
    assert design.label == "Design, UX and creative services"
    assert design.is_active is False


def test_the_migration_is_reversible():
    activity_category_create(code="CUSTOM", label="Custom activity")
    migration.unload(django_apps, None)
    assert list(ActivityCategory.objects.values_list("code", flat=True)) == ["CUSTOM"]
    migration.load(django_apps, None)
    assert ActivityCategory.objects.count() == len(data.activity_category_rows()) + 1


def test_the_engine_refuses_every_loaded_excluded_category():
    for category in ActivityCategory.objects.filter(excluded=True):
        found = check_commercial_contract(commercial_facts(activity_code=category.code))
        assert "activity_excluded" in codes(found), category.code
    for category in ActivityCategory.objects.filter(excluded=False):
        found = check_commercial_contract(commercial_facts(activity_code=category.code))
        assert "activity_excluded" not in codes(found), category.code


def test_a_sap_code_must_be_flagged_excluded():
    with pytest.raises(ValidationError) as error:
        activity_category_create(code="SAP-28", label="New personal service")
    assert "excluded" in error.value.message_dict


def test_an_excluded_category_needs_an_exclusion_prefix_rule_and_source():
    with pytest.raises(ValidationError) as error:
        activity_category_create(code="BAKERY", label="Bakery", excluded=True, source="x")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        activity_category_create(
            code="SAP-28", label="New", excluded=True, exclusion_rule="PR-04", source="x"
        )
    assert "exclusion_rule" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        activity_category_create(code="SAP-28", label="New", excluded=True, exclusion_rule="PR-02")
    assert "source" in error.value.message_dict
    created = activity_category_create(
        code="sap-28", label="New", excluded=True, exclusion_rule="PR-02", source="D7231-1"
    )
    assert created.code == "SAP-28"


def test_update_changes_only_label_activity_and_source():
    category = ActivityCategory.objects.get(code="COACHING")
    updated = activity_category_update(category=category, is_active=False, label=" Coaching ")
    assert (updated.is_active, updated.label) == (False, "Coaching")
    with pytest.raises(ValidationError) as error:
        activity_category_update(category=category, excluded=True)
    assert "excluded" in error.value.message_dict
    assert category not in activity_categories_active()


def test_label_is_translated_when_displayed():
    from django.utils import translation

    category = activity_category_get(code=" it-consulting ")
    with translation.override("en"):
        assert category.label_display == "IT consulting and software development"
        assert str(category) == "IT consulting and software development (IT-CONSULTING)"
