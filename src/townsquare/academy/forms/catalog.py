"""The catalog's search and filter form."""

from __future__ import annotations

from django import forms

from townsquare.accounts.models import Profession

from ..models import AccessTier, Level, Topic

LANGUAGE_CHOICES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("de", "German"),
    ("pt", "Portuguese"),
    ("zh", "Chinese"),
]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label="Search courses", required=False, max_length=200)
    topic = forms.ChoiceField(label="Topic", required=False)
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any level")])
    profession = forms.ChoiceField(
        label="Written for", required=False, choices=[("", "Any profession"), *Profession.choices]
    )
    language = forms.ChoiceField(
        label="Language", required=False, choices=[("", "Any language"), *LANGUAGE_CHOICES]
    )
    tier = forms.ChoiceField(
        label="Access", required=False, choices=[("", "Any access"), *AccessTier.choices]
    )
    credit = forms.BooleanField(label="Offers CE credit", required=False)

    def __init__(self, *args, topics=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Any level"), *Level.choices]  # type: ignore[attr-defined]
        topic_list = list(topics) if topics is not None else list(Topic.objects.all())
        self.fields["topic"].choices = [("", "Any topic")] + [  # type: ignore[attr-defined]
            (topic.slug, topic.name) for topic in topic_list
        ]
