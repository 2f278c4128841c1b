"""One-time tokens for the forms that create records: a form sent twice (Back then Save, a
double click, a second tab) is answered "already saved" and never saves twice (once.py)."""
