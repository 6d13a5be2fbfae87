"""The admin form that imports an article, pasted or uploaded."""

from django import forms

from ingest.articles.services import (
    ARTICLE_EXTENSIONS,
    ArticleImportError,
    check_extension,
    check_size,
    decode_article_bytes,
    size_limit_text,
)
from sources.models import SourceDocument, SourceKind

#: Metadata a curator may state instead of what the importer reads from the text.
OVERRIDE_FIELDS = [
    "title",
    "slug",
    "kind",
    "publisher",
    "authors",
    "url",
    "published_date",
    "language",
    "licence",
]


class ArticleImportForm(forms.Form):
    """Paste an article or upload its file; metadata left empty is read from the text."""

    text = forms.CharField(
        label="Article text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text="Paste the article as copied from the page, boilerplate and all: the importer "
        "removes site furniture, re-joins wrapped lines and lifts footnotes into citations.",
    )
    file = forms.FileField(
        label="…or upload a file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ARTICLE_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A .txt, .md or .html file in UTF-8 (or UTF-16 with a byte-order mark), "
            f"at most {size_limit_text()}."
        )
        for name in OVERRIDE_FIELDS:
            model_field = SourceDocument._meta.get_field(name)
            field = model_field.formfield(required=False)
            if name == "kind":
                field = forms.ChoiceField(
                    label="Kind",
                    required=False,
                    choices=[("", f"(default: {SourceKind.NEWS.label})"), *SourceKind.choices],
                )
            if name == "language":
                field.initial = None
            field.help_text = _OVERRIDE_HELP.get(name, field.help_text)
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if upload and text.strip():
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Paste the article's text or choose a file to upload.")
        try:
            if upload:
                cleaned["raw_text"] = self._read_upload(upload)
                cleaned["filename"] = upload.name
            else:
                check_size(len(text.encode("utf-8")), "The pasted text")
                cleaned["raw_text"], cleaned["filename"] = text, ""
        except ArticleImportError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned

    def _read_upload(self, upload):
        check_extension(upload.name)
        check_size(upload.size, f"“{upload.name}”")  # before reading: the size alone says no
        return decode_article_bytes(upload.read(), filename=upload.name)

    def overrides(self):
        """Return the metadata the curator filled in, to apply over what the text says."""
        return {
            name: self.cleaned_data[name]
            for name in OVERRIDE_FIELDS
            if self.cleaned_data.get(name) not in (None, "")
        }


_OVERRIDE_HELP = {
    "title": "Leave empty to use the title the text gives.",
    "slug": "Leave empty to make one from the title.",
    "publisher": "Outlet or institution. Leave empty to use what the text states (e.g. “ISSI”).",
    "authors": "Names separated by “; ”. Leave empty to use the byline (“By …”).",
    "published_date": "Leave empty to use the date the text gives, if any.",
    "language": "ISO code; leave empty for “en”.",
}
