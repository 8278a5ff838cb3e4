"""The consultant's self-service pages. Reads go through other apps' selectors only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from apps.accounts.roles import user_is_consultant
from apps.consultants.selectors import consultant_get_for_user


def consultant_required(view):
    """Only consultants with a profile reach the portal; others get a 404 (nothing leaks)."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not user_is_consultant(request.user):
            raise Http404
        consultant = consultant_get_for_user(request.user)
        if consultant is None:
            raise Http404
        request.consultant = consultant
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@consultant_required
def dashboard(request):
    return render(request, "portal/dashboard.html", {"consultant": request.consultant})
