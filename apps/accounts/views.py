"""Login, logout, password reset and invitation pages (Django's auth views, our templates)."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy

from .forms import EmailAuthenticationForm
from .roles import user_is_back_office, user_is_consultant


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


def home(request):
    """Send each role to its own space: back-office to the admin, consultants to the portal."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user_is_back_office(user):
        return redirect("admin:index")
    if user_is_consultant(user):
        return redirect("portal:dashboard")
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Used both by the invitation link and the password-reset link."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_set_done")


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
