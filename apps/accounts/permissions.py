"""API permission classes shared by every app.

Back-office users are checked against Django model permissions (given by their role group);
consultants only reach endpoints that opt in with `consultant_access`, and then only their
own rows: the viewset's queryset comes from a `*_for_user` selector, so someone else's id
is a 404, not a 403.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions

from .roles import user_is_consultant


class ModelPermissions(DjangoModelPermissions):
    """DjangoModelPermissions that also requires the view permission to read."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class RoleBasedPermission(BasePermission):
    """Model permissions for the back-office; own-record access for consultants.

    A view sets `consultant_access = "read"` (safe methods) or `"write"` (all methods the
    view allows) to let consultants in; the queryset must then be scoped to the user.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user_is_consultant(user) and not user.is_staff:
            access = getattr(view, "consultant_access", None)
            if access == "write":
                return True
            return access == "read" and request.method in SAFE_METHODS
        return ModelPermissions().has_permission(request, view)
