"""/api/v1/clients/ and their contacts. Views parse input and call one service."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import RoleBasedPermission

from .filters import ClientFilter
from .selectors import client_contacts_for_user, client_get, clients_for_user
from .serializers import (
    ClientContactOutputSerializer,
    ClientCreateInputSerializer,
    ClientInputSerializer,
    ClientOutputSerializer,
    ContactInputSerializer,
)
from .services import (
    client_create,
    client_delete,
    client_update,
    contact_add,
    contact_remove,
    contact_update,
)

TAGS = ["clients"]


@extend_schema_view(
    list=extend_schema(summary="List client companies", tags=TAGS),
    retrieve=extend_schema(summary="A client company with its contacts", tags=TAGS),
    create=extend_schema(
        summary="Create a client company (optionally with its contacts)",
        request=ClientCreateInputSerializer,
        responses={201: ClientOutputSerializer},
        tags=TAGS,
    ),
    update=extend_schema(
        summary="Update a client company (fields left out keep their value)",
        request=ClientInputSerializer,
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary="Update some fields of a client company", request=ClientInputSerializer, tags=TAGS
    ),
    destroy=extend_schema(
        summary="Delete a client company that nothing refers to (409 client_in_use otherwise)",
        responses={204: None},
        tags=TAGS,
    ),
)
class ClientViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleBasedPermission]
    serializer_class = ClientOutputSerializer
    filterset_class = ClientFilter
    search_fields = ["legal_name", "trade_name", "siren", "siret"]
    ordering_fields = ["legal_name", "created_at"]
    ordering = ["legal_name", "pk"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return clients_for_user(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ClientOutputSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ClientOutputSerializer(self.get_object()).data)

    def create(self, request):
        serializer = ClientCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = client_create(created_by=request.user, **serializer.validated_data)
        return Response(
            ClientOutputSerializer(client_get(client.pk)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request, pk=None, partial=False):
        client = self.get_object()
        serializer = ClientInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        client = client_update(client=client, updated_by=request.user, **serializer.validated_data)
        return Response(ClientOutputSerializer(client_get(client.pk)).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        client_delete(client=self.get_object(), deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


CLIENT_PK = OpenApiParameter("client_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="Contacts of a client (not paginated)", parameters=[CLIENT_PK], tags=TAGS
    ),
    create=extend_schema(
        summary="Add a contact to a client",
        parameters=[CLIENT_PK],
        request=ContactInputSerializer,
        responses={201: ClientContactOutputSerializer},
        tags=TAGS,
    ),
)
class ClientContactsOfClientViewSet(viewsets.GenericViewSet):
    """/clients/{client_pk}/contacts/: permissions are those on client contacts."""

    permission_classes = [RoleBasedPermission]
    serializer_class = ClientContactOutputSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return client_contacts_for_user(self.request.user).filter(
            client_id=self.kwargs["client_pk"]
        )

    def _client(self):
        return get_object_or_404(clients_for_user(self.request.user), pk=self.kwargs["client_pk"])

    def list(self, request, client_pk=None):
        self._client()
        return Response(ClientContactOutputSerializer(self.get_queryset(), many=True).data)

    def create(self, request, client_pk=None):
        client = self._client()
        serializer = ContactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = contact_add(client=client, added_by=request.user, **serializer.validated_data)
        return Response(ClientContactOutputSerializer(contact).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="A client contact", tags=TAGS),
    update=extend_schema(
        summary="Update a client contact", request=ContactInputSerializer, tags=TAGS
    ),
    partial_update=extend_schema(
        summary="Update some fields of a client contact",
        request=ContactInputSerializer,
        tags=TAGS,
    ),
    destroy=extend_schema(summary="Remove a client contact", responses={204: None}, tags=TAGS),
)
class ClientContactViewSet(viewsets.GenericViewSet):
    """/client-contacts/{id}/"""

    permission_classes = [RoleBasedPermission]
    serializer_class = ClientContactOutputSerializer
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return client_contacts_for_user(self.request.user)

    def retrieve(self, request, pk=None):
        return Response(ClientContactOutputSerializer(self.get_object()).data)

    def update(self, request, pk=None, partial=False):
        contact = self.get_object()
        serializer = ContactInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        contact = contact_update(
            contact=contact, updated_by=request.user, **serializer.validated_data
        )
        return Response(ClientContactOutputSerializer(contact).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        contact_remove(contact=self.get_object(), removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
