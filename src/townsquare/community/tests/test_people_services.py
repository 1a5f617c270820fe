"""Community profiles (handle, pseudonym) and clinician verification, through the services."""

from __future__ import annotations

import pytest

from townsquare.accounts.models import Role
from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.notifications.models import Notification
from townsquare.notifications.services import notify

from ..models import CommunityProfile, SpaceKind
from ..permissions import in_patient_community
from ..services import people as services
from ..services.profiles import profile_ensure
from .factories import (
    make_clinician,
    make_employee,
    make_moderator,
    make_patient,
    make_post,
    make_space,
)
from .support_people import fresh

pytestmark = pytest.mark.django_db


def update(person, handle=None, pseudonym="", use_pseudonym=False):
    return services.profile_update(
        actor=person,
        handle=profile_ensure(person).handle if handle is None else handle,
        pseudonym=pseudonym,
        use_pseudonym=use_pseudonym,
    )


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.field_errors


# Handles -----------------------------------------------------------------------------------------


def test_a_handle_is_saved_in_lower_case_without_the_at():
    ana = make_employee()
    profile = update(ana, handle="  @Ana.Alvarez ")
    assert profile.handle == "ana.alvarez"
    assert CommunityProfile.objects.get(user=ana).handle == "ana.alvarez"


@pytest.mark.parametrize(
    "handle",
    ["", "@", "-ana", "ana-", "an a", "ana!", "x" * 31, "ana\u00e9", "ana/../x", "<b>"],
)
def test_a_handle_must_be_well_formed(handle):
    ana = make_employee()
    before = profile_ensure(ana).handle
    with pytest.raises(ValidationFailed) as excinfo:
        update(ana, handle=handle)
    assert list(errors_of(excinfo)) == ["handle"]
    assert CommunityProfile.objects.get(user=ana).handle == before


def test_a_handle_of_thirty_characters_and_one_character_are_fine():
    ana = make_employee()
    assert update(ana, handle="a" * 30).handle == "a" * 30
    assert update(ana, handle="Q").handle == "q"


def test_handles_are_unique_whatever_their_case():
    ana, ben = make_employee(), make_employee()
    update(ana, handle="night.shift")
    with pytest.raises(ValidationFailed) as excinfo:
        update(ben, handle="Night.Shift")
    assert errors_of(excinfo) == {"handle": ["@night.shift is taken; choose another handle."]}


def test_an_old_mixed_case_handle_still_blocks_its_lower_case_twin():
    ana, ben = make_employee(), make_employee()
    CommunityProfile.objects.filter(user=ana).update(handle="Ward.Seven")
    with pytest.raises(ValidationFailed, match="taken"):
        update(ben, handle="ward.seven")


def test_keeping_ones_own_handle_in_another_case_is_fine():
    ana = make_employee()
    update(ana, handle="ana.b")
    assert update(ana, handle="ANA.B").handle == "ana.b"


def test_reserved_handles_are_refused():
    with pytest.raises(ValidationFailed, match="kept for the center"):
        update(make_employee(), handle="Moderators")


def test_a_handle_taken_at_the_same_moment_is_a_clear_error_not_a_server_error(monkeypatch):
    ana, ben = make_employee(), make_employee()
    update(ana, handle="taken.now")
    # As if ben's check ran before ana's write committed: the unique index decides.
    monkeypatch.setattr(services, "_handle_checked", lambda raw, profile: raw)
    with pytest.raises(ValidationFailed, match="just taken"):
        update(ben, handle="taken.now")
    assert CommunityProfile.objects.filter(handle="taken.now").count() == 1


def test_saving_nothing_new_writes_no_audit_record():
    ana = make_employee()
    update(ana)
    assert not AuditRecord.objects.filter(action="community.profile.update").exists()


def test_a_change_is_audited_without_the_values():
    patient = make_patient()
    update(patient, handle="quiet.reader", pseudonym="Sunflower", use_pseudonym=True)
    record = AuditRecord.objects.get(action="community.profile.update")
    assert record.actor_id == patient.pk
    assert record.data == {
        "handle_changed": True,
        "pseudonym_changed": True,
        "use_pseudonym_changed": True,
        "use_pseudonym": True,
    }
    assert "Sunflower" not in str(record.data)
    assert "quiet.reader" not in str(record.data)


def test_people_outside_the_community_have_no_community_profile_to_edit():
    outside = make_user()  # a professional of no member organization
    with pytest.raises(PermissionRefused):
        update(outside, handle="outsider")
    assert not CommunityProfile.objects.filter(user=outside).exists()


# Pseudonyms --------------------------------------------------------------------------------------


def test_a_patient_writes_under_a_pseudonym():
    patient = make_patient(display_name="Pat Jones")
    profile = update(patient, pseudonym="  Quiet   River ", use_pseudonym=True)
    assert (profile.pseudonym, profile.use_pseudonym) == ("Quiet River", True)


def test_a_pseudonym_is_needed_to_use_one():
    patient = make_patient()
    with pytest.raises(ValidationFailed) as excinfo:
        update(patient, pseudonym="", use_pseudonym=True)
    assert list(errors_of(excinfo)) == ["pseudonym"]


@pytest.mark.parametrize(
    "pseudonym", ["ab", "x" * 41, "<script>", "Sun*flower", " -Sun", "Sun_", "\u200bSun"]
)
def test_a_pseudonym_must_be_well_formed(pseudonym):
    with pytest.raises(ValidationFailed) as excinfo:
        update(make_patient(), pseudonym=pseudonym, use_pseudonym=True)
    assert list(errors_of(excinfo)) == ["pseudonym"]


def test_pseudonyms_may_use_any_alphabet():
    assert update(make_patient(), pseudonym="Zoë O'Brien-Łukasz").pseudonym == (
        "Zoë O'Brien-Łukasz"
    )


def test_a_pseudonym_that_is_ones_name_is_refused():
    patient = make_patient(display_name="Pat Jones")
    with pytest.raises(ValidationFailed, match="would not hide it"):
        update(patient, pseudonym="pat jones", use_pseudonym=True)


def test_pseudonyms_are_unique_whatever_their_case():
    update(make_patient(), pseudonym="Sunflower", use_pseudonym=True)
    with pytest.raises(ValidationFailed, match="Someone else writes under this pseudonym"):
        update(make_patient(), pseudonym="SUNFLOWER", use_pseudonym=True)


def test_the_staff_network_alone_has_no_pseudonyms():
    ana = make_employee()
    with pytest.raises(ValidationFailed, match="patient community"):
        update(ana, pseudonym="Shadow", use_pseudonym=True)
    with pytest.raises(ValidationFailed, match="patient community"):
        update(ana, pseudonym="Shadow")
    assert CommunityProfile.objects.get(user=ana).pseudonym == ""


def test_verified_clinicians_and_moderators_may_have_a_pseudonym():
    # (make_clinician leaves the unverified profile cached on the user: load it afresh)
    clinician = fresh(make_clinician())
    assert update(clinician, pseudonym="Doc Holly", use_pseudonym=True).use_pseudonym
    assert update(make_moderator(), pseudonym="Night Owl").pseudonym == "Night Owl"


def test_a_pseudonym_can_be_switched_off_and_kept():
    patient = make_patient(pseudonym="Sunflower")
    profile = update(patient, pseudonym="Sunflower", use_pseudonym=False)
    assert (profile.pseudonym, profile.use_pseudonym) == ("Sunflower", False)


def test_an_unused_pseudonym_can_be_cleared():
    patient = make_patient(pseudonym="Sunflower")
    assert update(patient, pseudonym="").pseudonym == ""


def test_a_pseudonym_written_under_cannot_be_cleared_so_old_posts_never_show_the_name():
    patient = make_patient(pseudonym="Sunflower")
    group = make_space(kind=SpaceKind.PATIENT, members=(patient,))
    post = make_post(patient, group, body="Three months on the new pump.")
    assert post.as_pseudonym is True
    with pytest.raises(ValidationFailed, match="stays with those posts"):
        update(patient, pseudonym="")
    assert CommunityProfile.objects.get(user=patient).pseudonym == "Sunflower"
    # Changing it is fine: the posts then show the new pseudonym.
    assert update(patient, pseudonym="Willow", use_pseudonym=True).pseudonym == "Willow"


# Clinicians --------------------------------------------------------------------------------------


def test_staff_verify_a_clinician_who_then_joins_the_patient_community():
    staff = make_staff()
    nurse = make_employee(display_name="Nia Nurse")
    assert not in_patient_community(fresh(nurse))

    profile = services.clinician_verify(actor=staff, person=nurse, title="  Diabetes  educator ")

    assert profile.clinician_title == "Diabetes educator"
    assert profile.clinician_verified_by == staff
    assert profile.is_verified_clinician
    assert in_patient_community(fresh(nurse))
    record = AuditRecord.objects.get(action="community.clinician.verify")
    assert (record.actor_id, record.target_id) == (staff.pk, str(nurse.pk))
    assert record.data == {"title": "Diabetes educator", "was_verified": False}
    notification = Notification.objects.get(recipient=nurse)
    assert notification.kind == "access"
    assert notification.url == "/community/profile/"


def test_verifying_again_with_a_new_title_keeps_the_date_and_notifies_once():
    staff = make_staff()
    nurse = make_employee()
    first = services.clinician_verify(actor=staff, person=nurse, title="Nurse")
    verified_at = first.clinician_verified_at
    second = services.clinician_verify(actor=staff, person=nurse, title="Nurse practitioner")
    assert second.clinician_verified_at == verified_at
    assert second.clinician_title == "Nurse practitioner"
    assert Notification.objects.filter(recipient=nurse).count() == 1
    assert AuditRecord.objects.filter(action="community.clinician.verify").count() == 2
    services.clinician_verify(actor=staff, person=nurse, title="Nurse practitioner")
    assert AuditRecord.objects.filter(action="community.clinician.verify").count() == 2


def test_only_staff_verify_clinicians():
    nurse = make_employee()
    for actor in (make_moderator(), make_employee(), make_patient()):
        with pytest.raises(PermissionRefused):
            services.clinician_verify(actor=actor, person=nurse, title="Nurse")
    assert not CommunityProfile.objects.filter(
        user=nurse, clinician_verified_at__isnull=False
    ).exists()


def test_patients_are_never_verified_as_clinicians():
    with pytest.raises(ValidationFailed, match="health-care professionals"):
        services.clinician_verify(actor=make_staff(), person=make_patient(), title="Nurse")


def test_a_closed_account_is_not_verified():
    nurse = make_employee()
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    with pytest.raises(ValidationFailed, match="not active"):
        services.clinician_verify(actor=make_staff(), person=nurse, title="Nurse")


@pytest.mark.parametrize("title", ["", "   ", "x" * 121])
def test_a_title_is_required_and_bounded(title):
    with pytest.raises(ValidationFailed) as excinfo:
        services.clinician_verify(actor=make_staff(), person=make_employee(), title=title)
    assert list(errors_of(excinfo)) == ["title"]


def test_unverifying_takes_the_patient_community_and_its_notifications_away():
    staff = make_staff()
    clinician = make_clinician()
    group = make_space(kind=SpaceKind.PATIENT, members=(clinician,))
    staff_space = make_space(kind=SpaceKind.STAFF, members=(clinician,))
    for space in (group, staff_space):
        notify(
            recipient=clinician,
            kind="reply",
            summary=f"posted in {space.name}",
            url="/community/",
            scope=space.scope,
            scope_label=space.name,
        )

    profile = services.clinician_unverify(actor=staff, person=clinician)

    assert not profile.is_verified_clinician
    assert profile.clinician_title == ""
    assert not in_patient_community(fresh(clinician))
    assert list(Notification.objects.values_list("scope", flat=True)) == [staff_space.scope]
    record = AuditRecord.objects.get(action="community.clinician.unverify")
    assert record.data == {"notifications_withdrawn": 1}


def test_unverifying_a_patient_role_holder_keeps_their_groups():
    staff = make_staff()
    person = make_user(roles=(Role.PATIENT, Role.MEMBER), profession="nurse")
    services.clinician_verify(actor=staff, person=person, title="Nurse")
    services.clinician_unverify(actor=staff, person=person)
    assert in_patient_community(fresh(person))
    assert AuditRecord.objects.get(action="community.clinician.unverify").data == {
        "notifications_withdrawn": 0
    }


def test_unverifying_someone_not_verified_changes_nothing():
    staff = make_staff()
    services.clinician_unverify(actor=staff, person=make_employee())
    assert not AuditRecord.objects.filter(action="community.clinician.unverify").exists()
    with pytest.raises(PermissionRefused):
        services.clinician_unverify(actor=make_employee(), person=make_clinician())


def test_a_first_profile_is_written_with_the_chosen_handle_and_a_refusal_writes_none():
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    with pytest.raises(ValidationFailed):
        update(patient, handle="bad handle")
    assert not CommunityProfile.objects.filter(user=patient).exists()
    profile = update(patient, handle="first.steps")
    assert CommunityProfile.objects.get(user=patient).handle == "first.steps"
    assert profile.pk is not None
