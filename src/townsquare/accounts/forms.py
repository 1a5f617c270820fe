from __future__ import annotations

from typing import Any

from django import forms

from .models import Organization, OrganizationKind, OrganizationRole, Profession, Role, User


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        max_length=120, label="Your name", help_text="As colleagues know you, e.g. Dr. Ana Ruiz"
    )
    profession = forms.ChoiceField(choices=Profession.choices, initial=Profession.OTHER)

    def signup(self, request: Any, user: User) -> None:
        from . import services

        services.signup_complete(
            user=user,
            display_name=self.cleaned_data["display_name"],
            profession=self.cleaned_data["profession"],
            request=request,
        )


class ProfileForm(forms.ModelForm):
    avatar_upload = forms.FileField(
        required=False, label="New avatar", help_text="PNG, JPEG, GIF or WebP, up to 2 MB."
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")

    class Meta:
        model = User
        fields = [
            "display_name",
            "title",
            "profession",
            "credentials",
            "primary_organization",
            "bio",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        labels = {"primary_organization": "Organization shown on your profile"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["primary_organization"]
        field.queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            memberships__user=self.instance
        )
        field.help_text = "Choose among the organizations you belong to."

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in self.Meta.fields if name in self.changed_data
        }


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Organization
        fields = ["name", "kind", "country", "website", "description", "email_domain"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Platform roles",
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label="Email address of the person")
    role = forms.ChoiceField(choices=OrganizationRole.choices, initial=OrganizationRole.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=OrganizationRole.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="What will use it, e.g. “reporting script”."
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search people", max_length=200)
    profession = forms.ChoiceField(
        required=False, choices=[("", "Any profession"), *Profession.choices]
    )


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search organizations", max_length=200)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *OrganizationKind.choices])


class AccountDeleteForm(forms.Form):
    confirm = forms.CharField(label="Type DELETE to confirm", max_length=10)
    password = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        label="Your password",
        help_text="Not needed if you only sign in through single sign-on.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"]
        if value != "DELETE":
            raise forms.ValidationError("Type DELETE in capital letters to confirm.")
        return value

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if self.user.has_usable_password() and not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
