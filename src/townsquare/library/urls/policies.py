"""Library pages: the policy builder (leaders and staff) and the clause set (staff)."""

from __future__ import annotations

from django.urls import URLPattern, path

from ..views import policies

urlpatterns: list[URLPattern] = [
    path("policies/", policies.policy_start, name="policy_start"),
    path("policies/new", policies.policy_create, name="policy_create"),
    path("policies/<int:draft_id>/", policies.policy_build, name="policy_build"),
    path("policies/<int:draft_id>/preview/", policies.policy_preview, name="policy_preview"),
    path("policies/<int:draft_id>/build", policies.policy_generate, name="policy_generate"),
    path("policies/<int:draft_id>/delete", policies.policy_delete, name="policy_delete"),
    path(
        "policies/<int:draft_id>/download.<str:fmt>",
        policies.policy_download,
        name="policy_download",
    ),
    path("policies/clauses/", policies.clause_list, name="clause_list"),
    path("policies/clauses/<int:clause_id>/", policies.clause_edit, name="clause_edit"),
    path("policies/clauses/<int:clause_id>/move", policies.clause_move, name="clause_move"),
    path(
        "policies/clauses/<int:clause_id>/options/new",
        policies.option_create,
        name="option_create",
    ),
    path(
        "policies/clauses/<int:clause_id>/options/<int:option_id>/",
        policies.option_edit,
        name="option_edit",
    ),
    path(
        "policies/clauses/<int:clause_id>/options/<int:option_id>/move",
        policies.option_move,
        name="option_move",
    ),
    path(
        "policies/clauses/<int:clause_id>/options/<int:option_id>/delete",
        policies.option_delete,
        name="option_delete",
    ),
]
