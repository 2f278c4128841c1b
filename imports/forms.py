"""The upload form: CSV files named as in IMPORT.md, or one zip of them."""

from __future__ import annotations

from django import forms
from django.conf import settings

from alexi.forms import refuse_unusable_token
from imports.reader import FILES


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [self._one(single, item, initial) for item in data]
        return [self._one(single, data, initial)]

    @staticmethod
    def _one(single, item, initial):
        try:
            return single(item, initial)
        except forms.ValidationError as error:
            if getattr(error, "code", "") == "empty" and item is not None:
                raise forms.ValidationError(
                    f"{item.name} is empty: a file needs at least its header row.", code="empty"
                ) from error
            raise


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files to import",
        help_text="Choose the CSV files (cases.csv, sessions.csv and so on), or one zip of them.",
        error_messages={"required": "Choose the files to import."},
    )

    def full_clean(self):
        super().full_clean()
        refuse_unusable_token(self, "files")

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        total = sum(upload.size for upload in uploads)
        if total > limit:
            raise forms.ValidationError(
                f"These files come to {total / 1024 / 1024:,.0f} MB; the most one upload can "
                f"take is {settings.IMPORT_MAX_UPLOAD_MB} MB. Split the import into parts, "
                "or ask your administrator to run it with manage.py import_records."
            )
        names = [upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower() for upload in uploads]
        zips = [name for name in names if name.endswith(".zip")]
        if zips and len(uploads) > 1:
            raise forms.ValidationError("Upload one zip on its own, or the CSV files themselves.")
        if not zips:
            unknown = [name for name in names if name not in FILES]
            if unknown:
                raise forms.ValidationError(
                    f"Alexi does not import {', '.join(sorted(set(unknown)))}. The files are "
                    f"{', '.join(FILES)}."
                )
            if len(set(names)) != len(names):
                raise forms.ValidationError("The same file name is there twice.")
        return list(zip(names, uploads, strict=True))
