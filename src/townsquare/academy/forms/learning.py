"""Forms for learners and leaders: enrolling staff, and a quiz attempt built from its questions."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Course, CourseStatus, Question, QuestionKind


class StaffEnrollForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(status=CourseStatus.PUBLISHED).order_by("code"),
        label="Course",
    )
    people = forms.MultipleChoiceField(
        label="People to enroll",
        widget=forms.CheckboxSelectMultiple,
        help_text="Members of your organization.",
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = self.fields["people"]
        assert isinstance(people, forms.MultipleChoiceField)  # noqa: S101
        people.choices = [(str(pk), name) for pk, name in members]


def _field_name(question: Question) -> str:
    return f"question_{question.pk}"


class AttemptForm(forms.Form):
    """One field per drawn question: radios, checkboxes or a text box."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            label = f"Question {number}"
            choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
            field: forms.Field
            if question.kind == QuestionKind.SHORT:
                field = forms.CharField(label=label, required=False, max_length=500)
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.ChoiceField(
                    label=label, required=False, choices=choices, widget=forms.RadioSelect
                )
            self.fields[_field_name(question)] = field

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[_field_name(question)]) for question in self.questions]

    def answers(self) -> dict[int, list[int] | str]:
        answers: dict[int, list[int] | str] = {}
        for question in self.questions:
            value = self.cleaned_data.get(_field_name(question))
            if question.kind == QuestionKind.SHORT:
                if value:
                    answers[question.pk] = str(value)
            elif question.kind == QuestionKind.MULTIPLE:
                answers[question.pk] = [int(item) for item in value or []]
            elif value:
                answers[question.pk] = [int(value)]
        return answers
