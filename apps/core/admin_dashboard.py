"""Admin index panels (django-unfold DASHBOARD_CALLBACK). Apps add their own figures later."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


def dashboard_callback(request, context):
    from apps.clients.selectors import client_count
    from apps.compliance.selectors import alerts_dashboard_panel
    from apps.consultants.selectors import consultant_counts_by_status

    counts = consultant_counts_by_status()
    context["kpis"] = [
        {"title": _("Active consultants"), "value": counts.get("active", 0)},
        {"title": _("Prospects"), "value": counts.get("prospect", 0)},
        {"title": _("Client companies"), "value": client_count()},
        {"title": _("Users"), "value": get_user_model().objects.filter(is_active=True).count()},
    ]
    context["panels"] = [alerts_dashboard_panel()]
    return context
