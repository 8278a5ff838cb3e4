"""Template context shared by every page."""

from .selectors import company_profile_get


def company(request):
    return {"company": company_profile_get()}
