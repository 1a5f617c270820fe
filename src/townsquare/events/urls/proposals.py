"""Event pages: the call for proposals."""

from __future__ import annotations

from django.urls import path

from ..views import proposals

urlpatterns = [
    path("proposals/", proposals.my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/withdraw", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/review", proposals.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/decide", proposals.proposal_decide, name="proposal_decide"),
    path("<slug:slug>/manage/call/", proposals.call_manage, name="call_manage"),
    path("<slug:slug>/call/", proposals.call_detail, name="call_detail"),
    path("<slug:slug>/call/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("<slug:slug>/manage/proposals/", proposals.proposals_review, name="proposals_review"),
]
