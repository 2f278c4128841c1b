"""Referrals, triage and decisions arrive with the referrals issue."""
