from __future__ import annotations

from django.urls import path

from ..views import credit

urlpatterns = [
    path(
        "author/courses/<slug:slug>/credit/",
        credit.credit_activity_edit,
        name="credit_activity_edit",
    ),
    path(
        "author/courses/<slug:slug>/credit/disclosures/new/",
        credit.credit_disclosure_edit,
        name="credit_disclosure_add",
    ),
    path(
        "author/courses/<slug:slug>/credit/disclosures/<int:disclosure_id>/",
        credit.credit_disclosure_edit,
        name="credit_disclosure_edit",
    ),
    path(
        "author/courses/<slug:slug>/credit/disclosures/<int:disclosure_id>/delete/",
        credit.credit_disclosure_delete,
        name="credit_disclosure_delete",
    ),
    path("learn/<slug:slug>/evaluation/", credit.credit_evaluation, name="credit_evaluation"),
    path("learn/<slug:slug>/credit/", credit.credit_claim, name="credit_claim"),
    path("transcript/", credit.transcript, name="transcript"),
    path("transcript/pdf/", credit.transcript_pdf_download, name="transcript_pdf"),
    path("transcript/<int:user_id>/", credit.transcript, name="transcript_for"),
    path(
        "transcript/<int:user_id>/pdf/",
        credit.transcript_pdf_download,
        name="transcript_for_pdf",
    ),
    path("staff/credit/export/", credit.credit_export, name="credit_export"),
]
