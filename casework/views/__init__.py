"""Casework pages. Every case is fetched through casework.access (404 when out of reach).

In parts, re-exported here (so `from casework import views` and its names keep working):
caseloads (caseloads); case_page (the case page); closure (closure); allocation (allocation,
status, sharing, transfer, break-glass); search (search); and _common (constants and helpers
they share).
"""

from casework.views._common import WORKER_OR_MANAGER, managers_only, on_cases
from casework.views.allocation import (
    allocate,
    break_glass,
    case_access_log,
    case_status,
    share_new,
    share_revoke,
    transfer_decide,
    transfer_new,
)
from casework.views.case_page import (
    agency_contact_new,
    assessment_form,
    assessment_preview,
    case,
    case_print,
    information_share_new,
    session_form,
    young_person_edit,
)
from casework.views.caseloads import case_new, caseload, hub_cases
from casework.views.chronology import chronology_fragment
from casework.views.closure import closure_decide, closure_request
from casework.views.notes import note_form
from casework.views.search import search_page

__all__ = [
    "WORKER_OR_MANAGER",
    "on_cases",
    "managers_only",
    "caseload",
    "hub_cases",
    "case_new",
    "case",
    "young_person_edit",
    "case_print",
    "session_form",
    "assessment_form",
    "assessment_preview",
    "information_share_new",
    "agency_contact_new",
    "closure_request",
    "closure_decide",
    "allocate",
    "case_status",
    "share_new",
    "share_revoke",
    "transfer_new",
    "transfer_decide",
    "break_glass",
    "case_access_log",
    "chronology_fragment",
    "note_form",
    "search_page",
]
