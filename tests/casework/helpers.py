from datetime import date

TODAY_SAFE = date(2026, 3, 1)  # after the world's case opened (5 Jan 2026), before today


def session_data(**overrides):
    data = {
        "date": "2026-02-02",
        "attendance": "attended",
        "contact_method": "face_to_face",
        "venue_type": "school",
        "young_person_chose": "yes",
        "duration_minutes": "45",
        "themes": ["online_safety"],
        "notes": "Talked about staying safe online.",
        "young_person_words": "I block people now.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assessment_data(**overrides):
    data = {
        "kind": "review",
        "assessed_on": "2026-02-02",
        "indicators": ["out_late"],
        "final_level": "",
        "rationale": "",
        "young_person_view": "Things are better.",
        "next_review_due": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
