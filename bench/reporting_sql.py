"""Hand-written SQL for every figure (programme scope, one period), to check the figure
functions against: the same number, in at most twice the time."""

from __future__ import annotations

ACTIVE_SPOKES = """
    SELECT id, hub_id, local_authority_id FROM alexi_spoke
    WHERE start_date <= %(end)s AND (end_date IS NULL OR end_date >= %(start)s)
"""

CLOSED = """
    WITH closed AS (
        SELECT c.id, c.no_reduction_reason,
            (SELECT CASE final_level WHEN 'none' THEN 0 WHEN 'low' THEN 1 WHEN 'medium' THEN 2
                                     WHEN 'high' THEN 3 END
               FROM casework_riskassessment
              WHERE case_id = c.id AND kind = 'initial' ORDER BY assessed_on, id LIMIT 1) AS ini,
            (SELECT CASE final_level WHEN 'none' THEN 0 WHEN 'low' THEN 1 WHEN 'medium' THEN 2
                                     WHEN 'high' THEN 3 END
               FROM casework_riskassessment
              WHERE case_id = c.id AND kind = 'closing'
              ORDER BY assessed_on DESC, id DESC LIMIT 1) AS clo
        FROM casework_case c
        WHERE c.status = 'closed' AND c.closed_on BETWEEN %(start)s AND %(end)s
    )
"""

SQL = {
    "hubs": f"SELECT count(DISTINCT hub_id) FROM ({ACTIVE_SPOKES}) s",
    "la_areas_total": f"""
        SELECT count(*) FROM (
            SELECT local_authority_id FROM ({ACTIVE_SPOKES}) s
            UNION
            SELECT h.localauthority_id FROM alexi_hub_home_las h
             WHERE h.hub_id IN (SELECT hub_id FROM ({ACTIVE_SPOKES}) s2)
        ) x""",
    "la_areas_spokes": f"SELECT count(DISTINCT local_authority_id) FROM ({ACTIVE_SPOKES}) s",
    "hub_managers": f"""
        SELECT count(DISTINCT manager_id) FROM alexi_hubmanagement
         WHERE hub_id IN (SELECT hub_id FROM ({ACTIVE_SPOKES}) s)
           AND start_date <= %(end)s AND (end_date IS NULL OR end_date >= %(end)s)""",
    "spoke_workers": f"""
        SELECT count(*) FROM (
            SELECT DISTINCT ON (id) * FROM alexi_historicalworkerprofile
             WHERE history_date <= %(end_ts)s ORDER BY id, history_date DESC, history_id DESC
        ) h WHERE history_type <> '-' AND spoke_id IN (SELECT id FROM ({ACTIVE_SPOKES}) s)
          AND user_id IN (SELECT id FROM alexi_user WHERE is_active)""",
    "spoke_worker_fte": f"""
        SELECT coalesce(round(sum(fte), 2), 0) FROM (
            SELECT DISTINCT ON (id) * FROM alexi_historicalworkerprofile
             WHERE history_date <= %(end_ts)s ORDER BY id, history_date DESC, history_id DESC
        ) h WHERE history_type <> '-' AND spoke_id IN (SELECT id FROM ({ACTIVE_SPOKES}) s)
          AND user_id IN (SELECT id FROM alexi_user WHERE is_active)""",
    "young_people_reached_groupwork": """
        SELECT coalesce(sum(young_people), 0) FROM training_groupwork
         WHERE date BETWEEN %(start)s AND %(end)s""",
    "young_people_in_casework": """
        SELECT count(DISTINCT young_person_id) FROM casework_case
         WHERE opened_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)""",
    "cases_opened": "SELECT count(*) FROM casework_case WHERE opened_on BETWEEN %(start)s AND %(end)s",
    "cases_closed": """SELECT count(*) FROM casework_case
                        WHERE status = 'closed' AND closed_on BETWEEN %(start)s AND %(end)s""",
    "closed_assessed": CLOSED
    + "SELECT count(*) FROM closed WHERE ini IS NOT NULL AND clo IS NOT NULL",
    "closed_lower_risk": CLOSED + "SELECT count(*) FROM closed WHERE clo < ini",
    "closed_lower_risk_pct": CLOSED
    + """
        SELECT round(100.0 * count(*) FILTER (WHERE clo < ini)
                     / nullif(count(*), 0), 1)
          FROM closed WHERE ini IS NOT NULL AND clo IS NOT NULL""",
    "no_reduction_reasons": CLOSED
    + """
        SELECT coalesce(nullif(no_reduction_reason, ''), 'not_recorded'), count(*) FROM closed
         WHERE ini IS NOT NULL AND clo IS NOT NULL AND clo >= ini GROUP BY 1""",
    "closed_without_assessment": CLOSED
    + "SELECT count(*) FROM closed WHERE ini IS NULL OR clo IS NULL",
    "professionals_trained": """
        SELECT coalesce(sum(a.attendees), 0) FROM training_trainingattendance a
          JOIN training_trainingevent e ON e.id = a.event_id
         WHERE e.date BETWEEN %(start)s AND %(end)s""",
    "professionals_trained_by_profession": """
        SELECT a.profession, sum(a.attendees) FROM training_trainingattendance a
          JOIN training_trainingevent e ON e.id = a.event_id
         WHERE e.date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "consultations": """SELECT count(*) FROM training_consultation
                         WHERE date BETWEEN %(start)s AND %(end)s""",
    "consultations_by_role": """
        SELECT professional_role, count(*) FROM training_consultation
         WHERE date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "referrals_received": """SELECT count(*) FROM referrals_referral
                              WHERE received_on BETWEEN %(start)s AND %(end)s""",
    "referrals_by_source": """
        SELECT source, count(*) FROM referrals_referral
         WHERE received_on BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "referrals_by_decision": """
        SELECT decision, count(*) FROM referrals_referral
         WHERE received_on BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "median_days_to_decision": """
        SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_on - received_on)::numeric, 1)
          FROM referrals_referral
         WHERE received_on BETWEEN %(start)s AND %(end)s
           AND decision IN ('accepted', 'signposted', 'declined') AND decided_on IS NOT NULL""",
    "median_days_to_first_contact": """
        SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY first - received_on)::numeric, 1)
          FROM (SELECT r.received_on, min(s.date) AS first FROM referrals_referral r
                  JOIN casework_casesession s ON s.case_id = r.case_id AND s.attendance <> 'cancelled'
                 WHERE r.received_on BETWEEN %(start)s AND %(end)s GROUP BY r.id) x""",
    "sessions_attended": """
        SELECT count(*) FROM casework_casesession
         WHERE date BETWEEN %(start)s AND %(end)s AND attendance = 'attended'""",
    "sessions_not_attended_by_reason": """
        SELECT attendance, count(*) FROM casework_casesession
         WHERE date BETWEEN %(start)s AND %(end)s AND attendance <> 'attended' GROUP BY 1""",
    "continuity_pct": """
        SELECT round(100.0 * count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM casework_allocation a
                    WHERE a.case_id = s.case_id AND a.worker_id = s.worker_id
                      AND (a.started_at AT TIME ZONE 'Europe/London')::date <= s.date
                      AND (a.ended_at IS NULL
                           OR (a.ended_at AT TIME ZONE 'Europe/London')::date >= s.date)))
               / nullif(count(*), 0), 1)
          FROM casework_casesession s
         WHERE s.date BETWEEN %(start)s AND %(end)s AND s.attendance = 'attended'""",
    "mean_workers_per_closed_case": """
        SELECT round(avg(n), 2) FROM (
            SELECT c.id, count(DISTINCT a.worker_id) AS n FROM casework_case c
              LEFT JOIN casework_allocation a ON a.case_id = c.id
             WHERE c.status = 'closed' AND c.closed_on BETWEEN %(start)s AND %(end)s
             GROUP BY c.id) x""",
    "choice_pct": """
        SELECT round(100.0 * count(*) FILTER (WHERE young_person_chose) / nullif(count(*), 0), 1)
          FROM casework_casesession
         WHERE date BETWEEN %(start)s AND %(end)s AND attendance = 'attended'""",
    "voice_pct": """
        SELECT round(100.0 * count(*) FILTER (WHERE young_person_view <> '')
                     / nullif(count(*), 0), 1)
          FROM casework_riskassessment WHERE assessed_on BETWEEN %(start)s AND %(end)s""",
}


def run(cursor, key: str, params: dict):
    """The SQL's answer, shaped like the figure function's (a number, or a mapping)."""
    cursor.execute(SQL[key], params)
    rows = cursor.fetchall()
    if key.endswith(
        ("_by_profession", "_by_role", "_by_source", "_by_decision", "_by_reason", "_reasons")
    ):
        return {name: int(n) for name, n in rows}
    value = rows[0][0] if rows else None
    if value is None:
        return None
    return float(value) if not isinstance(value, int) else value
