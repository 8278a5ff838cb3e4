"""Who am I, and API tokens."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .roles import user_roles


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    language = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeOutputSerializer, summary="The authenticated user and their roles")
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "roles": sorted(user_roles(user)),
        }
        return Response(MeOutputSerializer(data).data)


class TokenApi(ObtainAuthToken):
    """POST e-mail (as `username`) and password, get a token for `Authorization: Token ...`."""

    permission_classes: list = []
