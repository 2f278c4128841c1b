"""An import's hub scope has no default: left out, None would mean every hub, so a caller that
forgot it could let a hub manager import into the whole programme. Every caller says it."""

from __future__ import annotations

import inspect

import pytest

from imports import importer


def test_run_without_a_hub_scope_is_refused_before_anything_is_read():
    parameter = inspect.signature(importer.run).parameters["hub_scope"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is inspect.Parameter.empty
    with pytest.raises(TypeError, match="hub_scope"):
        importer.run([], actor=None)  # type: ignore[call-arg]
