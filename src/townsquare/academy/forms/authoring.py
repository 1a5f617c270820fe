"""Forms of the authoring pages. They check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from townsquare.accounts.models import Profession, Role, User

from ..models import AccessTier, Course, LessonKind, Level, QuestionKind, Topic
from ..services.catalog import ChoiceFields, CourseFields, LessonFields, QuestionFields
from .catalog import LANGUAGE_CHOICES

CHOICE_ROWS = 6


class EmailChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} <{obj.email}>"


class CourseForm(forms.Form):
    code = forms.CharField(label="Course code", max_length=20, help_text="For example GSM 103.")
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), help_text="Markdown. Shown in the catalog."
    )
    level = forms.ChoiceField(choices=Level.choices)
    existing_topics = forms.ModelMultipleChoiceField(
        label="Topics",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_topics = forms.CharField(
        label="New topics",
        required=False,
        max_length=500,
        help_text="Comma-separated, for example: privacy, video.",
    )
    professions = forms.MultipleChoiceField(
        label="Written for",
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty for everyone.",
    )
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, initial="en")
    estimated_hours = forms.DecimalField(
        label="Estimated hours", min_value=0, max_value=999, decimal_places=2, initial=1
    )
    access_tier = forms.ChoiceField(
        label="Access", choices=AccessTier.choices, initial=AccessTier.MEMBER
    )
    instructors = EmailChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People with the instructor role, by email. Empty: you.",
    )
    prerequisites = forms.ModelMultipleChoiceField(
        queryset=Course.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    cover_image = forms.FileField(
        label="Cover image", required=False, help_text="PNG, JPEG, GIF or WebP, at most 5 MB."
    )

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instructors"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(roles__role=Role.INSTRUCTOR, is_active=True)
            .distinct()
            .order_by("email")
        )
        prerequisites = Course.objects.order_by("code")
        if course is not None:
            prerequisites = prerequisites.exclude(pk=course.pk)
        self.fields["prerequisites"].queryset = prerequisites  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        return {
            "code": course.code,
            "title": course.title,
            "summary": course.summary,
            "level": course.level,
            "existing_topics": list(course.topics.all()),
            "professions": list(course.audience.values_list("profession", flat=True)),
            "language": course.language,
            "estimated_hours": course.estimated_hours,
            "access_tier": course.access_tier,
            "instructors": list(course.instructors.all()),
            "prerequisites": list(course.prerequisites.all()),
        }

    def fields_for_service(self) -> CourseFields:
        data = self.cleaned_data
        names = [topic.name for topic in data["existing_topics"]]
        names += [name for name in data["new_topics"].split(",") if name.strip()]
        return CourseFields(
            code=data["code"],
            title=data["title"],
            summary=data["summary"],
            level=data["level"],
            language=data["language"],
            estimated_hours=data["estimated_hours"],
            access_tier=data["access_tier"],
            topic_names=names,
            professions=data["professions"],
            instructors=list(data["instructors"]),
            prerequisites=list(data["prerequisites"]),
            cover_image=data.get("cover_image"),
        )


class ModuleForm(forms.Form):
    title = forms.CharField(label="Module title", max_length=200)
    summary = forms.CharField(
        label="Module summary", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class LessonForm(forms.Form):
    title = forms.CharField(label="Lesson title", max_length=200)
    kind = forms.ChoiceField(label="Kind of lesson", choices=LessonKind.choices)
    estimated_minutes = forms.IntegerField(
        label="Estimated minutes", min_value=1, max_value=10_000, initial=10
    )
    is_required = forms.BooleanField(label="Required to complete the course", required=False)
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown.",
    )
    video_url = forms.URLField(
        label="Video address (URL)",
        required=False,
        assume_scheme="https",
        help_text="A YouTube or Vimeo page, or a video file's address.",
    )
    captions = forms.FileField(
        label="Captions (.vtt)", required=False, help_text="A WebVTT file starting with WEBVTT."
    )
    remove_captions = forms.BooleanField(label="Remove the current captions", required=False)
    transcript = forms.CharField(
        label="Transcript", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    discussion_prompt = forms.CharField(
        label="Discussion prompt", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pass_mark = forms.IntegerField(
        label="Pass mark (%)", min_value=0, max_value=100, initial=80, required=False
    )
    attempt_limit = forms.IntegerField(
        label="Attempt limit",
        min_value=1,
        max_value=100,
        required=False,
        help_text="Empty for unlimited attempts.",
    )
    questions_per_attempt = forms.IntegerField(
        label="Questions per attempt",
        min_value=1,
        max_value=500,
        required=False,
        help_text="Drawn at random from the question bank; empty for all.",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_required"].initial = True
        if editing:
            self.fields["kind"].disabled = True
            self.fields["kind"].required = False

    def fields_for_service(self, kind: str) -> LessonFields:
        data = self.cleaned_data
        return LessonFields(
            title=data["title"],
            kind=kind,
            body=data["body"],
            video_url=data["video_url"],
            captions=data.get("captions"),
            remove_captions=data.get("remove_captions", False),
            transcript=data["transcript"],
            discussion_prompt=data["discussion_prompt"],
            is_required=data["is_required"],
            estimated_minutes=data["estimated_minutes"],
            pass_mark=80 if data.get("pass_mark") is None else data["pass_mark"],
            attempt_limit=data.get("attempt_limit"),
            questions_per_attempt=data.get("questions_per_attempt"),
        )


class AttachmentsForm(forms.Form):
    uploads = MultipleFileField(
        label="Add files",
        help_text="Choose several PDFs or documents at once (PDF, DOCX, PPTX, XLSX, images).",
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of question", choices=QuestionKind.choices)
    prompt = forms.CharField(
        label="Question", widget=forms.Textarea(attrs={"rows": 3}), help_text="Markdown."
    )
    points = forms.IntegerField(min_value=1, max_value=100, initial=1)
    true_is_correct = forms.ChoiceField(
        label="The statement is",
        required=False,
        choices=[("", "—"), ("true", "True"), ("false", "False")],
        help_text="True or false questions only; the two choices are made for you.",
    )
    accepted_answers = forms.CharField(
        label="Accepted answers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Short-answer questions: one per line; case and spaces do not matter.",
    )
    explanation = forms.CharField(
        label="Explanation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown after the learner answers.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(CHOICE_ROWS):
            self.fields[f"choice_{number}_text"] = forms.CharField(
                label=f"Choice {number + 1}", required=False, max_length=500
            )
            self.fields[f"choice_{number}_correct"] = forms.BooleanField(
                label=f"Choice {number + 1} is correct", required=False
            )
            self.fields[f"choice_{number}_feedback"] = forms.CharField(
                label=f"Feedback for choice {number + 1}", required=False, max_length=500
            )

    def choice_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (
                self[f"choice_{number}_text"],
                self[f"choice_{number}_correct"],
                self[f"choice_{number}_feedback"],
            )
            for number in range(CHOICE_ROWS)
        ]

    @staticmethod
    def initial_for(question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.kind,
            "prompt": question.prompt,
            "points": question.points,
            "explanation": question.explanation,
            "accepted_answers": "\n".join(question.accepted_answers),
        }
        choices = list(question.choices.all())
        if question.kind == QuestionKind.TRUE_FALSE and choices:
            initial["true_is_correct"] = "true" if choices[0].is_correct else "false"
        for number, choice in enumerate(choices[:CHOICE_ROWS]):
            initial[f"choice_{number}_text"] = choice.text
            initial[f"choice_{number}_correct"] = choice.is_correct
            initial[f"choice_{number}_feedback"] = choice.feedback
        return initial

    def fields_for_service(self) -> QuestionFields:
        data = self.cleaned_data
        true_answer = {"true": True, "false": False}.get(data["true_is_correct"])
        return QuestionFields(
            kind=data["kind"],
            prompt=data["prompt"],
            explanation=data["explanation"],
            points=data["points"],
            accepted_answers=data["accepted_answers"].splitlines(),
            choices=[
                ChoiceFields(
                    text=data[f"choice_{number}_text"],
                    is_correct=data[f"choice_{number}_correct"],
                    feedback=data[f"choice_{number}_feedback"],
                )
                for number in range(CHOICE_ROWS)
            ],
            true_is_correct=true_answer,
        )
