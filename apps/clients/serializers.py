"""API input (parsing only) and output serializers. Rules are checked by the services."""

from rest_framework import serializers

from apps.core.choices import Civility

from .models import ContactKind, DocumentLanguage, LegalForm
from .rules import PaymentTermsKind


def _text(max_length: int, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=required, allow_blank=not required, trim_whitespace=True
    )


class ContactInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    civility = serializers.ChoiceField(choices=Civility.choices, required=False, allow_blank=True)
    first_name = _text(100)
    last_name = _text(100, required=True)
    job_title = _text(150)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = _text(30)
    is_primary = serializers.BooleanField(required=False)


class ClientInputSerializer(serializers.Serializer):
    """PUT and PATCH: fields left out keep their value."""

    legal_name = _text(200, required=True)
    trade_name = _text(200)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    country = _text(2)
    # Identifiers may be typed with spaces or dots ("732 829 320"): stored compact.
    siren = _text(20)
    siret = _text(30)
    vat_number = _text(30)
    registration_id = _text(60)
    billing_address_line1 = _text(200, required=True)
    billing_address_line2 = _text(200)
    billing_postal_code = _text(20, required=True)
    billing_city = _text(100, required=True)
    billing_country = _text(2)
    delivery_address_line1 = _text(200)
    delivery_address_line2 = _text(200)
    delivery_postal_code = _text(20)
    delivery_city = _text(100)
    delivery_country = _text(2)
    payment_terms_kind = serializers.ChoiceField(choices=PaymentTermsKind.choices, required=False)
    payment_terms_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    document_language = serializers.ChoiceField(choices=DocumentLanguage.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class ClientCreateInputSerializer(ClientInputSerializer):
    """POST: the client and, optionally, its contacts, saved together or not at all."""

    contacts = ContactInputSerializer(many=True, required=False)


class ClientContactOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client = serializers.IntegerField(source="client_id")
    kind = serializers.CharField()
    civility = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    job_title = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    is_primary = serializers.BooleanField()


class ClientOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    trade_name = serializers.CharField()
    legal_form = serializers.CharField()
    country = serializers.CharField()
    siren = serializers.CharField()
    siret = serializers.CharField()
    vat_number = serializers.CharField()
    registration_id = serializers.CharField()
    billing_address_line1 = serializers.CharField()
    billing_address_line2 = serializers.CharField()
    billing_postal_code = serializers.CharField()
    billing_city = serializers.CharField()
    billing_country = serializers.CharField()
    delivery_address_line1 = serializers.CharField()
    delivery_address_line2 = serializers.CharField()
    delivery_postal_code = serializers.CharField()
    delivery_city = serializers.CharField()
    delivery_country = serializers.CharField()
    payment_terms_kind = serializers.CharField()
    payment_terms_days = serializers.IntegerField()
    payment_terms_label = serializers.CharField()
    document_language = serializers.CharField()
    notes = serializers.CharField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    # Reads the prefetched contacts (selectors.clients_list): no query per client.
    contacts = ClientContactOutputSerializer(many=True, source="contacts.all")
