"""Every table in Alexi's templates sits in a labelled, keyboard-focusable scroll region, so
that on a phone a wide table scrolls inside the page (with a visible cue, static/alexi/tables.js
and alexi.scss) instead of being cut off or widening the page. The browser test
tests/e2e/test_layout_browser.py checks the pages themselves at 360 px."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TABLE = re.compile(r"<table\b")
OPENING_TAG = re.compile(r"<div\b[^>]*>\s*$")
TEMPLATE_TAGS = re.compile(r"(\s|\{%.*?%\})+$", re.S)


def _region_before(text: str, position: int) -> str | None:
    """The opening tag right before `position` (template tags and spaces skipped), if a div."""
    before = TEMPLATE_TAGS.sub("", text[:position])
    match = OPENING_TAG.search(before)
    return match.group(0) if match else None


def test_every_table_is_in_a_labelled_focusable_scroll_region():
    problems = []
    tables = 0
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in TABLE.finditer(text):
            tables += 1
            where = f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}"
            tag = _region_before(text, match.start())
            if tag is None or 'class="alexi-table-wrap' not in tag:
                problems.append(f'{where}: not inside <div class="alexi-table-wrap" ...>')
                continue
            for needed in ('role="region"', 'tabindex="0"'):
                if needed not in tag:
                    problems.append(f"{where}: the region lacks {needed}")
            if not re.search(r'aria-label(ledby)?="[^"]+"', tag):
                problems.append(f"{where}: the region has no label")
    assert tables > 20, "the templates should have been found"
    assert problems == []


def test_the_check_finds_a_bare_table():
    assert _region_before('<h2>x</h2>\n<table class="govuk-table">', 11) is None
    region = '<div class="alexi-table-wrap" tabindex="0" role="region" aria-label="X">'
    wrapped = region + "{% if a %}\n<table>"
    assert "alexi-table-wrap" in _region_before(wrapped, wrapped.index("<table"))
