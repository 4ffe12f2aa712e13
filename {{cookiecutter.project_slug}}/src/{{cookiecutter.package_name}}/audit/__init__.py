"""Audit events: who did what to which thing, and when, one row each."""
