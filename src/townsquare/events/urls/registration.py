"""Event pages: registration, tickets, invoices and check-in."""

from __future__ import annotations

from django.urls import path

from ..views import checkin, registration

urlpatterns = [
    path("<slug:slug>/register/", registration.register, name="register"),
    path("<slug:slug>/register/group/", registration.group_register, name="group_register"),
    path("registrations/", registration.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/", registration.registration_detail, name="registration_detail"),
    path(
        "registrations/<int:pk>/cancel",
        registration.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "registrations/<int:pk>/transfer",
        registration.registration_transfer,
        name="registration_transfer",
    ),
    path("registrations/<int:pk>/accept", registration.offer_accept, name="offer_accept"),
    path("registrations/<int:pk>/ticket.pdf", registration.ticket_pdf, name="ticket_pdf"),
    path("orders/<str:reference>/invoice.pdf", registration.invoice_pdf, name="invoice_pdf"),
    path("<slug:slug>/manage/check-in/", checkin.checkin, name="checkin"),
    path("<slug:slug>/manage/check-in/submit", checkin.checkin_submit, name="checkin_submit"),
    path("<slug:slug>/manage/check-in/counts", checkin.checkin_counts, name="checkin_counts"),
]
