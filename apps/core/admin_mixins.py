"""Admin building blocks shared by apps whose documents change only through services."""

from django.contrib import messages
from django.http import HttpResponseRedirect


class ActionsOnlyAdminMixin:
    """A change page without save buttons, no add and no delete: the document is created
    elsewhere (portal, API) and changes only through the admin actions, which call services.
    A forged POST to the change page changes nothing and says why (`actions_only_message`)."""

    actions_only_message = ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            {
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self.message_user(request, self.actions_only_message, messages.WARNING)
            return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)
