"""Policy builder pages: start, the guided form with its preview, building, downloads, and the
staff's clause management. Every action works without JavaScript; with htmx the preview follows
the form as it is filled in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from

from ..forms.policies import (
    CLAUSE_PREFIX,
    BuildForm,
    ClauseForm,
    DraftStartForm,
    MoveForm,
    OptionForm,
    PolicyForm,
)
from ..models import FileKind, PolicyClause, PolicyDraft, ResourceStatus
from ..permissions import can_manage_policy_clauses
from ..selectors import policies as selectors
from ..selectors.catalog import file_response
from ..services import policies as services
from ..services.resources import usage_record

DRAFTS_PER_PAGE = 25
DOWNLOAD_FORMATS = {"docx": FileKind.DOCX, "pdf": FileKind.PDF}


def _raise_refusals(error: DomainError) -> None:
    if error.status in {403, 404}:
        raise error


# --- Start ---------------------------------------------------------------------------------------


@login_required
@require_GET
def policy_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    organizations = selectors.organizations_for_builder(request.user)
    page = Paginator(selectors.draft_list(request.user), DRAFTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/policies/start.html",
        {
            "page": page,
            "drafts": page.object_list,
            "form": DraftStartForm(organizations=organizations),
            "may_build": organizations.exists(),
            "may_manage_clauses": can_manage_policy_clauses(request.user),
        },
    )


@login_required
@require_POST
def policy_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organizations = selectors.organizations_for_builder(request.user)
    form = DraftStartForm(request.POST, organizations=organizations)
    if not form.is_valid():
        if not organizations.exists():
            raise PermissionRefused(
                "Only an organization's leaders and center staff build its policy."
            )
        page = Paginator(selectors.draft_list(request.user), DRAFTS_PER_PAGE).get_page(1)
        return render(
            request,
            "library/policies/start.html",
            {
                "page": page,
                "drafts": page.object_list,
                "form": form,
                "may_build": True,
                "may_manage_clauses": can_manage_policy_clauses(request.user),
            },
            status=422,
        )
    draft = services.draft_create(
        actor=request.user, organization=form.cleaned_data["organization"]
    )
    messages.success(
        request,
        f"A new draft for {draft.organization.name}, with the recommended option of every clause "
        "chosen. Go through the clauses, then build the policy.",
    )
    return redirect("library:policy_build", draft_id=draft.pk)


# --- The guided form -----------------------------------------------------------------------------


def _build_page(
    request: AuthenticatedHttpRequest,
    draft: PolicyDraft,
    *,
    form: PolicyForm | None = None,
    build_form: BuildForm | None = None,
    clauses: list[PolicyClause] | None = None,
    status: int = 200,
) -> HttpResponse:
    clauses = services.active_clauses() if clauses is None else clauses
    form = form or PolicyForm(clauses=clauses, draft=draft)
    return render(
        request,
        "library/policies/build.html",
        {
            "draft": draft,
            "form": form,
            "clause_rows": form.clause_rows(),
            "build_form": build_form or BuildForm(),
            "policy": services.policy_compose(draft, clauses),
            "resource": draft.resource,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_build(request: AuthenticatedHttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.draft_get(request.user, draft_id)
    if request.method == "GET":
        return _build_page(request, draft)
    clauses = services.active_clauses()
    form = PolicyForm(request.POST, clauses=clauses, draft=draft)
    if form.is_valid():
        try:
            services.draft_update(
                actor=request.user,
                draft=draft,
                fields=form.fields_value(),
                choices=form.choices_value(),
            )
        except DomainError as error:
            _raise_refusals(error)
            form_errors_from(
                error, form, {clause.key: CLAUSE_PREFIX + clause.key for clause in clauses}
            )
            return _build_page(request, draft, form=form, clauses=clauses, status=error.status)
        messages.success(request, "The draft is saved. The preview below shows the policy now.")
        return redirect(f"{request.path}#preview")
    return _build_page(request, draft, form=form, clauses=clauses, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def policy_preview(request: AuthenticatedHttpRequest, draft_id: int) -> HttpResponse:
    """The policy as it stands (GET), or as the unsaved form says (POST, from the guided form's
    live preview): nothing is saved either way."""
    draft = selectors.draft_get(request.user, draft_id)
    clauses = services.active_clauses()
    if request.method == "POST":
        form = PolicyForm(request.POST, clauses=clauses, draft=draft)
        form.is_valid()
        data = form.cleaned_data
        draft.title = data.get("title") or draft.title
        draft.contact_name = data.get("contact_name") or draft.contact_name
        draft.contact_email = data.get("contact_email") or draft.contact_email
        draft.contact_phone = data.get("contact_phone", draft.contact_phone) or ""
        draft.effective_on = data.get("effective_on", draft.effective_on)
        draft.choices = {
            clause.key: request.POST.get(CLAUSE_PREFIX + clause.key, "")[:60] for clause in clauses
        }
    policy = services.policy_compose(draft, clauses)
    template = (
        "library/policies/_preview.html"
        if request.headers.get("HX-Request")
        else "library/policies/preview.html"
    )
    return render(request, template, {"draft": draft, "policy": policy})


@login_required
@require_POST
def policy_generate(request: AuthenticatedHttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.draft_get(request.user, draft_id)
    build_form = BuildForm(request.POST)
    if not build_form.is_valid():
        return _build_page(request, draft, build_form=build_form, status=422)
    try:
        result = services.policy_build(
            actor=request.user, draft=draft, change_note=build_form.cleaned_data["change_note"]
        )
    except DomainError as error:
        _raise_refusals(error)
        messages.error(request, f"The policy was not built: {error.message}")
        return _build_page(request, draft, build_form=build_form, status=error.status)
    messages.success(
        request,
        f"Version {result.version.number} of “{result.resource.title}” is saved in the library, "
        f"private to {draft.organization.name}. Download it as Word or PDF below.",
    )
    return redirect("library:policy_build", draft_id=draft.pk)


@login_required
@require_POST
def policy_delete(request: AuthenticatedHttpRequest, draft_id: int) -> HttpResponse:
    draft = selectors.draft_get(request.user, draft_id)
    services.draft_delete(actor=request.user, draft=draft)
    messages.success(
        request,
        "The draft is deleted."
        + (" The policy built from it stays in the library." if draft.resource_id else ""),
    )
    return redirect("library:policy_start")


@login_required
@require_GET
def policy_download(request: AuthenticatedHttpRequest, draft_id: int, fmt: str) -> HttpResponseBase:
    draft = selectors.draft_get(request.user, draft_id)
    kind = DOWNLOAD_FORMATS.get(fmt)
    if kind is None:
        raise NotFound("Download the policy as docx or pdf.")
    stored = selectors.built_file(draft, kind)
    if stored is None or draft.resource_id is None:
        raise NotFound("Build the policy first: there is nothing to download yet.")
    response = file_response(stored)
    if draft.resource is not None and draft.resource.status == ResourceStatus.PUBLISHED:
        usage_record(resource_id=draft.resource_id, download=True)
    return response


# --- Clauses (staff) -----------------------------------------------------------------------------


def _staff(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_policy_clauses(request.user):
        raise PermissionRefused("Only center staff manage the policy clauses.")


@login_required
@require_http_methods(["GET", "POST"])
def clause_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    form = ClauseForm(request.POST or None, prefix="new")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                clause = services.clause_save(actor=request.user, fields=form.value())
            except DomainError as error:
                _raise_refusals(error)
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(
                    request, f"Added the clause “{clause.title}”. Now add its options."
                )
                return redirect("library:clause_edit", clause_id=clause.pk)
        else:
            status = 422
    return render(
        request,
        "library/policies/clause_list.html",
        {"clauses": selectors.clause_list_all(), "form": form},
        status=status,
    )


def _clause_page(
    request: AuthenticatedHttpRequest,
    clause: PolicyClause,
    *,
    form: ClauseForm | None = None,
    option_form: OptionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    form = form or ClauseForm(
        initial={
            "title": clause.title,
            "key": clause.key,
            "explanation": clause.explanation,
            "is_required": clause.is_required,
            "is_active": clause.is_active,
        }
    )
    return render(
        request,
        "library/policies/clause_edit.html",
        {
            "clause": clause,
            "form": form,
            "option_form": option_form or OptionForm(prefix="option"),
            "options": list(clause.options.all()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def clause_edit(request: AuthenticatedHttpRequest, clause_id: int) -> HttpResponse:
    _staff(request)
    clause = selectors.clause_get(clause_id)
    if request.method == "GET":
        return _clause_page(request, clause)
    form = ClauseForm(request.POST)
    if form.is_valid():
        try:
            services.clause_save(actor=request.user, fields=form.value(), clause=clause)
        except DomainError as error:
            _raise_refusals(error)
            form_errors_from(error, form)
            return _clause_page(request, clause, form=form, status=error.status)
        messages.success(request, "The clause is saved.")
        return redirect("library:clause_edit", clause_id=clause.pk)
    return _clause_page(request, clause, form=form, status=422)


@login_required
@require_POST
def clause_move(request: AuthenticatedHttpRequest, clause_id: int) -> HttpResponse:
    _staff(request)
    clause = selectors.clause_get(clause_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to move the clause up or down.")
        return redirect("library:clause_list")
    services.clause_move(
        actor=request.user, clause=clause, direction=form.cleaned_data["direction"]
    )
    messages.success(request, f"Moved “{clause.title}” {form.cleaned_data['direction']}.")
    return redirect("library:clause_list")


@login_required
@require_POST
def option_create(request: AuthenticatedHttpRequest, clause_id: int) -> HttpResponse:
    _staff(request)
    clause = selectors.clause_get(clause_id)
    option_form = OptionForm(request.POST, prefix="option")
    if option_form.is_valid():
        try:
            option = services.option_save(
                actor=request.user, clause=clause, fields=option_form.value()
            )
        except DomainError as error:
            _raise_refusals(error)
            form_errors_from(error, option_form)
            return _clause_page(request, clause, option_form=option_form, status=error.status)
        messages.success(request, f"Added the option “{option.label}”.")
        return redirect("library:clause_edit", clause_id=clause.pk)
    return _clause_page(request, clause, option_form=option_form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def option_edit(request: AuthenticatedHttpRequest, clause_id: int, option_id: int) -> HttpResponse:
    _staff(request)
    clause = selectors.clause_get(clause_id)
    option = selectors.option_get(clause, option_id)
    form = OptionForm(
        request.POST or None,
        initial={
            "label": option.label,
            "key": option.key,
            "text": option.text,
            "is_default": option.is_default,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.option_save(
                    actor=request.user, clause=clause, fields=form.value(), option=option
                )
            except DomainError as error:
                _raise_refusals(error)
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(request, "The option is saved.")
                return redirect("library:clause_edit", clause_id=clause.pk)
        else:
            status = 422
    return render(
        request,
        "library/policies/option_edit.html",
        {"clause": clause, "option": option, "form": form},
        status=status,
    )


@login_required
@require_POST
def option_move(request: AuthenticatedHttpRequest, clause_id: int, option_id: int) -> HttpResponse:
    _staff(request)
    clause = selectors.clause_get(clause_id)
    option = selectors.option_get(clause, option_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.option_move(
            actor=request.user, option=option, direction=form.cleaned_data["direction"]
        )
        messages.success(request, f"Moved “{option.label}” {form.cleaned_data['direction']}.")
    else:
        messages.error(request, "Choose to move the option up or down.")
    return redirect("library:clause_edit", clause_id=clause.pk)


@login_required
@require_POST
def option_delete(
    request: AuthenticatedHttpRequest, clause_id: int, option_id: int
) -> HttpResponse:
    _staff(request)
    clause = selectors.clause_get(clause_id)
    option = selectors.option_get(clause, option_id)
    try:
        services.option_delete(actor=request.user, option=option)
    except DomainError as error:
        _raise_refusals(error)
        messages.error(request, error.message)
        return _clause_page(request, clause, status=error.status)
    messages.success(request, f"Deleted the option “{option.label}”.")
    return redirect("library:clause_edit", clause_id=clause.pk)
