"""People pages: profiles, follows, my community profile, clinician verification."""

from django.urls import path

from ..views import people

urlpatterns = [
    path("following/", people.following, name="following"),
    path("profile/", people.profile_settings, name="profile_settings"),
    path("clinicians/", people.clinician_list, name="clinician_list"),
    path("clinicians/<int:user_id>/verify", people.clinician_verify, name="clinician_verify"),
    path("clinicians/<int:user_id>/unverify", people.clinician_unverify, name="clinician_unverify"),
    path("people/<str:handle>/", people.person_detail, name="person_detail"),
    path("people/<str:handle>/follow", people.follow_person, name="follow_person"),
    path("people/<str:handle>/unfollow", people.unfollow_person, name="unfollow_person"),
    path("s/<slug:slug>/follow", people.follow_space, name="follow_space"),
    path("s/<slug:slug>/unfollow", people.unfollow_space, name="unfollow_space"),
]
