"""Forms for programs and cohorts: validate input at the edge; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import AccessTier, Cohort, CohortMember, CohortRole, Course, Program


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["title", "slug", "summary", "access_tier", "is_published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
        labels = {"slug": "Address", "is_published": "Published (listed for learners)"}
        help_texts = {"slug": "Lowercase letters, digits and hyphens: /academy/programs/<address>/"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["access_tier"].initial = AccessTier.MEMBER

    def validate_unique(self) -> None:
        """The service reports a taken address (it holds the lock that makes the check true)."""

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ProgramCourseAddForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label="Course to add")

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.exclude(  # type: ignore[attr-defined]
            program_items__program=program
        ).order_by("code")


class ProgramItemMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Move up"), ("down", "Move down")])


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["title", "course", "program", "starts_on", "ends_on", "mentee_limit", "capacity"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"course": "Choose a course or a program."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["program"].queryset = Program.objects.order_by("title")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("course")) == bool(data.get("program")):
            self.add_error("course", "Choose a course or a program, not both.")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        return data

    def _post_clean(self) -> None:
        """Rules are checked by the service; the model is never validated half-built here."""


class CohortMemberAddForm(forms.Form):
    email = forms.EmailField(label="Email address of the person")
    role = forms.ChoiceField(choices=CohortRole.choices, initial=CohortRole.LEARNER)


class MentorAssignForm(forms.Form):
    mentor = forms.ModelChoiceField(
        queryset=CohortMember.objects.none(), required=False, empty_label="No mentor"
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = cohort.members.filter(  # type: ignore[attr-defined]
            role=CohortRole.MENTOR
        ).select_related("user")
        self.fields["mentor"].label_from_instance = lambda member: str(member.user)  # type: ignore[attr-defined]
