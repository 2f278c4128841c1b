"""Print every figure for a scope and period as one JSON object keyed as in DOMAIN.md."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting import disclosure
from reporting.figures import all_figures
from reporting.scope import Period, Scope


def parse_scope(text: str) -> Scope:
    """programme | funder:REF | hub:REF | spoke:REF | la:CODE (REFs as in IMPORT.md)."""
    from alexi.models import Funder, Hub, LocalAuthority, Spoke

    if text == "programme":
        return Scope()
    kind, _, ref = text.partition(":")
    lookups = {
        "funder": (Funder, "ref"),
        "hub": (Hub, "ref"),
        "spoke": (Spoke, "ref"),
        "la": (LocalAuthority, "gss_code"),
    }
    if kind not in lookups or not ref:
        raise CommandError("--scope is programme, funder:REF, hub:REF, spoke:REF or la:CODE.")
    model, field = lookups[kind]
    obj = model.objects.filter(**{field: ref}).first()
    if obj is None:
        raise CommandError(f"No {kind} with {field} '{ref}'.")
    return Scope(kind, obj.pk)


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{option} must be a date like 2026-07-01.") from error


class Command(BaseCommand):
    help = "Print every figure (DOMAIN.md keys) for a scope and period as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--scope", default="programme")
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--disclosure-control", action="store_true")

    def handle(self, *args, scope: str, start: str, end: str, disclosure_control: bool, **options):
        chosen = parse_scope(scope)
        try:
            period = Period(parse_date(start, "--from"), parse_date(end, "--to"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        figures = all_figures(chosen, period)
        if disclosure_control:
            figures = disclosure.controlled(
                figures, chosen, period, headline=chosen.kind == "programme"
            )
        self.stdout.write(json.dumps(figures, indent=2, sort_keys=False))
