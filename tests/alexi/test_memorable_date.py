"""A date of birth is asked for with GOV.UK's date input (day, month, year): the boxes and
the single ISO field (YYYY-MM-DD) both work, and each problem says what is wrong in GOV.UK's
words, outlining the box in error (issue 13 item 5)."""

from datetime import date, timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from alexi.forms import GovukFormMixin
from alexi.widgets import MemorableDateField
from referrals.models import Referral


class BornForm(GovukFormMixin, forms.Form):
    date_of_birth = MemorableDateField(label="Date of birth", what="Date of birth", required=False)


def parts(day="", month="", year=""):
    return {"date_of_birth-day": day, "date_of_birth-month": month, "date_of_birth-year": year}


@pytest.mark.parametrize(
    "data",
    [
        parts("7", "3", "2011"),
        parts("07", "03", "2011"),
        parts(" 7 ", "Mar", "2011"),
        parts("7", "march", "2011"),
        {"date_of_birth": "2011-03-07"},  # the single ISO field older pages and tests post
    ],
)
def test_the_boxes_and_the_single_iso_field_both_give_the_date(data):
    form = BornForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2011, 3, 7)


@pytest.mark.parametrize("data", [parts(), {"date_of_birth": ""}, {}])
def test_nothing_given_is_no_date(data):
    form = BornForm(data)
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] is None


@pytest.mark.parametrize(
    "data, message, in_error",
    [
        (parts("7", "", "2011"), "Date of birth must include a month", {"month"}),
        (parts("", "", "2011"), "Date of birth must include a day and month", {"day", "month"}),
        (parts("7", "3", ""), "Date of birth must include a year", {"year"}),
        (parts("31", "2", "2011"), "Date of birth must be a real date", {"day", "month", "year"}),
        (parts("7", "13", "2011"), "Date of birth must be a real date", {"day", "month", "year"}),
        (parts("seven", "3", "2011"), "Date of birth must be a real date", {"day"}),
        (parts("7", "Marc h", "2011"), "Date of birth must be a real date", {"month"}),
        (parts("7", "3", "11"), "Year must include 4 numbers", {"year"}),
        ({"date_of_birth": "2011-02-31"}, "Date of birth must be a real date", None),
    ],
)
def test_each_problem_is_said_plainly_and_its_box_outlined(data, message, in_error):
    form = BornForm(data)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]
    html = str(form["date_of_birth"])
    outlined = {
        part
        for part in ("day", "month", "year")
        if f'name="date_of_birth-{part}"' in html
        and "govuk-input--error" in html.split(f'name="date_of_birth-{part}"')[1].split(">")[0]
    }
    assert outlined == (in_error or {"day", "month", "year"})
    # What was typed stays in the boxes.
    if "date_of_birth-day" in data:
        for typed in filter(None, data.values()):
            assert f'value="{typed}"' in html


def test_the_boxes_are_labelled_and_the_first_has_the_fields_id():
    html = str(BornForm(initial={"date_of_birth": date(2011, 3, 7)})["date_of_birth"])
    assert '<label class="govuk-label govuk-date-input__label" for="id_date_of_birth">Day' in html
    assert 'for="id_date_of_birth-month">Month' in html
    assert 'for="id_date_of_birth-year">Year' in html
    assert 'value="7"' in html and 'value="3"' in html and 'value="2011"' in html
    assert 'inputmode="numeric"' in html


def test_a_whole_date_problem_outlines_every_box():
    class NotFuture(BornForm):
        def clean_date_of_birth(self):
            raise forms.ValidationError("A date of birth cannot be in the future.")

    form = NotFuture(parts("7", "3", "2011"))
    assert not form.is_valid()
    assert str(form["date_of_birth"]).count("govuk-input--error") == 3


def test_a_referral_takes_a_date_of_birth_in_boxes_and_refuses_one_in_the_future(world, client_for):
    from tests.referrals.test_referrals import intake_data

    client = client_for("hub_manager")
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = intake_data(hub=world.hub.pk, first_name="Boxed")
    data.pop("date_of_birth", None)
    refused = client.post(
        reverse("referrals:referral_new"),
        {**data, **parts(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))},
    )
    assert refused.status_code == 400
    assert "A date of birth cannot be in the future." in refused.content.decode()
    assert not Referral.objects.filter(first_name="Boxed").exists()
    half = client.post(reverse("referrals:referral_new"), {**data, **parts("7", "", "2011")})
    assert half.status_code == 400
    assert "Date of birth must include a month" in half.content.decode()
    saved = client.post(reverse("referrals:referral_new"), {**data, **parts("7", "3", "2011")})
    assert saved.status_code == 302
    assert Referral.objects.get(first_name="Boxed").date_of_birth == date(2011, 3, 7)


def test_the_intake_page_shows_the_three_boxes_in_a_fieldset(world, client_for):
    page = client_for("hub_manager").get(reverse("referrals:referral_new")).content.decode()
    assert '<fieldset class="govuk-fieldset" role="group"' in page
    assert "Date of birth</legend>" in page
    assert 'name="date_of_birth-day"' in page and 'name="date_of_birth-year"' in page
    assert 'type="date" name="date_of_birth"' not in page
