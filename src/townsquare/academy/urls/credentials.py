"""Credential and fellowship pages (the public /verify/<code> page is wired in config/urls.py)."""

from __future__ import annotations

from django.urls import path

from ..views import credentials, fellowship

urlpatterns = [
    path("credentials/", credentials.my_credentials, name="my_credentials"),
    path("credentials/<int:pk>/", credentials.credential_detail, name="credential_detail"),
    path("credentials/<int:pk>/certificate.pdf", credentials.credential_pdf, name="credential_pdf"),
    path("credentials/<int:pk>/badge.json", credentials.credential_badge, name="credential_badge"),
    path(
        "credentials/<int:pk>/revoke/",
        credentials.credential_revoke_view,
        name="credential_revoke",
    ),
    path("issuer", credentials.issuer, name="issuer"),
    path("issuer/revocations", credentials.revocation_list, name="revocation_list"),
    path("fellowship/", fellowship.fellowship, name="fellowship"),
    path("fellowship/new/", fellowship.submission_create, name="fellowship_submission_create"),
    path("fellowship/review/", fellowship.review_queue, name="fellowship_review_queue"),
    path("fellowship/award/", fellowship.award_platinum, name="fellowship_award"),
    path(
        "fellowship/submissions/<int:pk>/",
        fellowship.submission_detail,
        name="fellowship_submission",
    ),
    path(
        "fellowship/submissions/<int:pk>/edit/",
        fellowship.submission_edit,
        name="fellowship_submission_edit",
    ),
    path(
        "fellowship/submissions/<int:pk>/submit/",
        fellowship.submission_submit,
        name="fellowship_submission_submit",
    ),
    path(
        "fellowship/submissions/<int:pk>/withdraw/",
        fellowship.submission_withdraw,
        name="fellowship_submission_withdraw",
    ),
    path(
        "fellowship/submissions/<int:pk>/comments/",
        fellowship.submission_comment,
        name="fellowship_submission_comment",
    ),
    path(
        "fellowship/submissions/<int:pk>/decision/",
        fellowship.submission_decide,
        name="fellowship_submission_decide",
    ),
    path(
        "fellowship/submissions/<int:pk>/attachment",
        fellowship.submission_attachment,
        name="fellowship_attachment",
    ),
]
