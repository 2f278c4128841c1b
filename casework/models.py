"""Young people, cases, sessions, risk assessments and sharing arrive with the casework issue."""
