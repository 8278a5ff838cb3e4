"""The action pages of the contract admin (send, reopen, sign, activate, amend, end,
terminate): each a small form listing the findings and calling one service; and the PDF
downloads (staff only, never public media URLs)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from apps.core.errors import DomainError

from .. import services
from ..forms import AmendForm, ConfirmForm, EndForm, SignForm, TerminateForm, add_service_errors
from ..models import CommercialContract, ContractStatus

ACTION_TEMPLATE = "commercial_contracts/admin/action_form.html"


class ContractActionsMixin:
    # --- file downloads (staff only, never public media URLs) --------------------------------
    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/download/contract.pdf",
                self.admin_site.admin_view(self.download_pdf),
                name="commercial_contracts_commercialcontract_pdf",
            ),
            path(
                "<int:object_id>/download/signed.pdf",
                self.admin_site.admin_view(self.download_signed_pdf),
                name="commercial_contracts_commercialcontract_signed_pdf",
            ),
        ]
        return urls + super().get_urls()

    def _download(self, request, object_id, field: str):
        contract = self.get_queryset(request).filter(pk=object_id).first()
        if contract is None or not self.has_view_permission(request, contract):
            raise Http404
        file = getattr(contract, field)
        if not file or not file.storage.exists(file.name):
            raise Http404
        suffix = "" if field == "pdf_file" else "-signed"
        return FileResponse(
            file.open("rb"),
            content_type="application/pdf",
            filename=f"{contract.reference}{suffix}.pdf",
        )

    def download_pdf(self, request, object_id):
        return self._download(request, object_id, "pdf_file")

    def download_signed_pdf(self, request, object_id):
        return self._download(request, object_id, "signed_pdf")

    # --- action pages ---------------------------------------------------------------------------
    def _contract(self, request, object_id) -> CommercialContract | None:
        if not str(object_id).isdigit():
            return None
        cache = request.__dict__.setdefault("_commercial_contracts", {})
        if str(object_id) not in cache:
            cache[str(object_id)] = self.get_queryset(request).filter(pk=object_id).first()
        return cache[str(object_id)]

    def _allowed(self, request, object_id, target: str) -> bool:
        if object_id is None or not self.has_change_permission(request):
            return False
        contract = self._contract(request, object_id)
        return contract is not None and contract.can_transition_to(target)

    def has_send_permission(self, request, object_id=None) -> bool:
        return self._allowed(request, object_id, ContractStatus.SENT_FOR_SIGNATURE)

    def has_reopen_permission(self, request, object_id=None) -> bool:
        return self._allowed(request, object_id, ContractStatus.DRAFT)

    def has_sign_permission(self, request, object_id=None) -> bool:
        return self._allowed(request, object_id, ContractStatus.SIGNED)

    def has_activate_permission(self, request, object_id=None) -> bool:
        return self._allowed(request, object_id, ContractStatus.ACTIVE)

    def has_end_permission(self, request, object_id=None) -> bool:
        return self._allowed(request, object_id, ContractStatus.ENDED)

    def has_terminate_permission(self, request, object_id=None) -> bool:
        return self._allowed(request, object_id, ContractStatus.TERMINATED)

    def has_amend_permission(self, request, object_id=None) -> bool:
        if object_id is None or not self.has_change_permission(request):
            return False
        contract = self._contract(request, object_id)
        return contract is not None and contract.status in services.AMENDABLE

    def _action_page(
        self,
        request,
        object_id,
        *,
        title,
        form_class=ConfirmForm,
        run,
        success,
        intro="",
        submit_label=None,
        danger=False,
    ):
        contract = self._contract(request, object_id)
        if contract is None:
            raise Http404
        if not self.has_change_permission(request, contract):
            raise PermissionDenied
        findings = services.commercial_contract_check(contract=contract)
        posted = request.method == "POST"
        form = form_class(
            request.POST if posted else None,
            request.FILES if posted else None,
            contract=contract,
            findings=findings,
        )
        if posted and form.is_valid():
            try:
                run(contract=contract, by=request.user, **form.service_kwargs())
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request, success % {"reference": contract.reference}, messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:commercial_contracts_commercialcontract_change", args=[contract.pk]
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": contract,
            "title": title,
            "subtitle": contract.reference,
            "form": form,
            "findings": findings,
            "intro": intro,
            "submit_label": submit_label or title,
            "danger": danger,
            "multipart": any(field.widget.needs_multipart_form for field in form.fields.values()),
            "change_url": reverse(
                "admin:commercial_contracts_commercialcontract_change", args=[contract.pk]
            ),
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @action(description=_("Send for signature"), permissions=["send"], url_path="send", icon="send")
    def action_send_for_signature(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Send for signature"),
            run=services.commercial_contract_send_for_signature,
            success=_("Contract %(reference)s sent for signature."),
            intro=_(
                "The contract can no longer be changed once sent; if the client asks for"
                " changes, put it back to draft."
            ),
        )

    @action(description=_("Back to draft"), permissions=["reopen"], url_path="reopen", icon="undo")
    def action_reopen(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Back to draft"),
            run=services.commercial_contract_reopen,
            success=_("Contract %(reference)s is a draft again."),
        )

    @action(description=_("Sign"), permissions=["sign"], url_path="sign", icon="signature")
    def action_sign(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Record the signature"),
            form_class=SignForm,
            run=services.commercial_contract_sign,
            success=_("Contract %(reference)s signed."),
            intro=_(
                "Upload the contract signed by the client. Blocking findings refuse the"
                " signature; warnings must be acknowledged and are recorded with your name."
            ),
        )

    @action(
        description=_("Activate"), permissions=["activate"], url_path="activate", icon="play_arrow"
    )
    def action_activate(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Activate"),
            run=services.commercial_contract_activate,
            success=_("Contract %(reference)s is active."),
            intro=_(
                "The compliance check runs again. The warnings listed are recorded as"
                " acknowledged by you."
            ),
        )

    @action(description=_("Amend"), permissions=["amend"], url_path="amend", icon="edit_note")
    def action_amend(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Add an amendment"),
            form_class=AmendForm,
            run=services.commercial_contract_amend,
            success=_("Amendment added to contract %(reference)s."),
            intro=_(
                "An amendment is a new dated version of the terms: the earlier terms stay"
                " in force before its effective date. Terms left empty are carried over."
            ),
        )

    @action(description=_("End"), permissions=["end"], url_path="end", icon="event_available")
    def action_end(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("End the contract"),
            form_class=EndForm,
            run=services.commercial_contract_end,
            success=_("Contract %(reference)s ended."),
        )

    @action(
        description=_("Terminate"), permissions=["terminate"], url_path="terminate", icon="cancel"
    )
    def action_terminate(self, request, object_id):
        return self._action_page(
            request,
            object_id,
            title=_("Terminate early"),
            form_class=TerminateForm,
            run=services.commercial_contract_terminate,
            success=_("Contract %(reference)s terminated."),
            danger=True,
        )
