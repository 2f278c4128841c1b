"""Casework pages: search (issue 13 item 1)."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alexi.audit import record_access
from alexi.forms import GovukFormMixin
from alexi.models import AccessAction
from casework import access, search
from casework.views._common import on_cases


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name, reference or date of birth",
        max_length=search.MAX_LENGTH,
        error_messages={
            "null_characters_not_allowed": "Take out the unusual characters and search again."
        },
        help_text="For example Jade Smith, C-000123 or 3/4/2011. Spelling need not be exact.",
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )

    def clean_q(self) -> search.Terms:
        try:
            return search.parse(self.cleaned_data["q"])
        except search.SearchTermsError as error:
            raise forms.ValidationError(str(error)) from None


@on_cases
@require_GET
def search_page(request):
    """Cases this person may open that match what was typed. Nothing typed: the empty page,
    nothing logged. Every search, with what was typed and the cases it listed, is written to
    the access log."""
    typed = request.GET.get("q", "")
    context = {"title": "Search", "typed": typed, "today": timezone.localdate()}
    if not typed.strip():
        context["form"] = SearchForm()
        return render(request, "casework/search.html", context)
    form = SearchForm(request.GET)
    context["form"] = form
    if not form.is_valid():
        context["title"] = "Error: Search"
        return render(request, "casework/search.html", context, status=400)
    terms: search.Terms = form.cleaned_data["q"]
    results = search.find(request.user, terms)
    record_access(
        request,
        AccessAction.SEARCH,
        object_type="case",
        terms=terms.text,
        object_ids=[case.pk for case in results.cases],
    )
    context.update(
        terms=terms,
        results=results,
        rows=[access.access_to(request.user, case) for case in results.cases],
        limit=search.LIMIT,
    )
    return render(request, "casework/search.html", context)
