"""Event pages: organizer (setting up and running events)."""

from __future__ import annotations

from django.urls import path

from ..views import organizer as views
from ..views import organizer_agenda as agenda
from ..views import organizer_tickets as tickets

urlpatterns = [
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.event_create, name="event_create"),
    path("manage/series/", views.series_manage, name="series_manage"),
    path("manage/series/<int:pk>/", views.series_edit, name="series_edit"),
    path("<slug:slug>/manage/", views.event_edit, name="event_edit"),
    path("<slug:slug>/manage/publish", views.event_publish, name="event_publish"),
    path("<slug:slug>/manage/cancel", views.event_cancel, name="event_cancel"),
    # Tickets, discount codes and registration questions.
    path("<slug:slug>/manage/tickets/", tickets.tickets_manage, name="tickets_manage"),
    path("<slug:slug>/manage/tickets/new/", tickets.ticket_type_form, name="ticket_type_create"),
    path("<slug:slug>/manage/tickets/<int:pk>/", tickets.ticket_type_form, name="ticket_type_edit"),
    path(
        "<slug:slug>/manage/tickets/<int:pk>/delete",
        tickets.ticket_type_delete,
        name="ticket_type_delete",
    ),
    path("<slug:slug>/manage/codes/new/", tickets.discount_code_form, name="discount_code_create"),
    path(
        "<slug:slug>/manage/codes/<int:pk>/", tickets.discount_code_form, name="discount_code_edit"
    ),
    path(
        "<slug:slug>/manage/codes/<int:pk>/delete",
        tickets.discount_code_delete,
        name="discount_code_delete",
    ),
    path("<slug:slug>/manage/questions/new/", tickets.question_form, name="question_create"),
    path("<slug:slug>/manage/questions/<int:pk>/", tickets.question_form, name="question_edit"),
    path(
        "<slug:slug>/manage/questions/<int:pk>/delete",
        tickets.question_delete,
        name="question_delete",
    ),
    # The agenda.
    path("<slug:slug>/manage/agenda/", agenda.agenda_manage, name="agenda_manage"),
    path("<slug:slug>/manage/agenda/tracks/new/", agenda.track_form, name="track_create"),
    path("<slug:slug>/manage/agenda/tracks/<int:pk>/", agenda.track_form, name="track_edit"),
    path(
        "<slug:slug>/manage/agenda/tracks/<int:pk>/delete",
        agenda.track_delete,
        name="track_delete",
    ),
    path("<slug:slug>/manage/agenda/rooms/new/", agenda.room_form, name="room_create"),
    path("<slug:slug>/manage/agenda/rooms/<int:pk>/", agenda.room_form, name="room_edit"),
    path("<slug:slug>/manage/agenda/rooms/<int:pk>/delete", agenda.room_delete, name="room_delete"),
    path("<slug:slug>/manage/agenda/speakers/new/", agenda.speaker_form, name="speaker_create"),
    path("<slug:slug>/manage/agenda/speakers/<int:pk>/", agenda.speaker_form, name="speaker_edit"),
    path(
        "<slug:slug>/manage/agenda/speakers/<int:pk>/delete",
        agenda.speaker_delete,
        name="speaker_delete",
    ),
    path("<slug:slug>/manage/agenda/sessions/new/", agenda.session_form, name="session_create"),
    path("<slug:slug>/manage/agenda/sessions/<int:pk>/", agenda.session_form, name="session_edit"),
    path(
        "<slug:slug>/manage/agenda/sessions/<int:pk>/delete",
        agenda.session_delete,
        name="session_delete",
    ),
    # Registrations, the waiting list, orders and messages.
    path(
        "<slug:slug>/manage/registrations/",
        views.registrations_manage,
        name="registrations_manage",
    ),
    path(
        "<slug:slug>/manage/registrations.csv",
        views.registrations_export,
        name="registrations_export",
    ),
    path("<slug:slug>/manage/waitlist/", views.waitlist_manage, name="waitlist_manage"),
    path(
        "<slug:slug>/manage/waitlist/<int:pk>/cancel",
        views.waitlist_cancel,
        name="waitlist_cancel",
    ),
    path("<slug:slug>/manage/orders/<int:pk>/paid", views.order_mark_paid, name="order_mark_paid"),
    path("<slug:slug>/manage/messages/", views.messages_manage, name="messages_manage"),
]
