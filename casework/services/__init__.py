"""Writes for casework. Each is one transaction, records its actor, and keeps access in step.

Grants (django-guardian) are made and removed only here, in the same transaction as the
share, allocation or transfer that causes them (ARCHITECTURE.md idea 2).

In parts, re-exported here (so `from casework import services` and its names keep working):
opening (opening and allocation); records (sessions, assessments, shares of information,
multi-agency contacts); closure (closure); sharing (sharing beyond the structure); and _common
(constants and helpers they share).
"""

from casework.services._common import BREAK_GLASS_HOURS, GRANT, SHARE_MAX_DAYS, TRANSFER_DAYS
from casework.services.closure import (
    REVIEW_SET_MAX_DAYS,
    check_review_date,
    closure_approve,
    closure_request,
    closure_return,
    initial_and_closing,
)
from casework.services.opening import (
    OpenCaseExists,
    case_open,
    case_reallocate,
    case_set_paused,
    open_case_at_hub,
    young_person_update,
)
from casework.services.records import (
    agency_contact_record,
    assessment_record,
    assessment_update,
    case_note_record,
    case_note_update,
    case_refresh_summary,
    case_summaries_refresh,
    current_tool,
    information_share_record,
    session_log,
    session_update,
)
from casework.services.sharing import (
    break_glass,
    case_share,
    share_revoke,
    shares_end_for_person,
    shares_expire,
    transfer_decide,
    transfer_request,
)

__all__ = [
    "SHARE_MAX_DAYS",
    "BREAK_GLASS_HOURS",
    "TRANSFER_DAYS",
    "GRANT",
    "OpenCaseExists",
    "open_case_at_hub",
    "case_open",
    "case_reallocate",
    "case_set_paused",
    "young_person_update",
    "case_refresh_summary",
    "case_summaries_refresh",
    "session_log",
    "session_update",
    "current_tool",
    "assessment_record",
    "assessment_update",
    "information_share_record",
    "agency_contact_record",
    "case_note_record",
    "case_note_update",
    "initial_and_closing",
    "closure_request",
    "closure_approve",
    "REVIEW_SET_MAX_DAYS",
    "check_review_date",
    "closure_return",
    "case_share",
    "share_revoke",
    "shares_end_for_person",
    "break_glass",
    "transfer_request",
    "transfer_decide",
    "shares_expire",
]
