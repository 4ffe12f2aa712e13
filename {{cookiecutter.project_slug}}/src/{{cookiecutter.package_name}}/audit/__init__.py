"""The audit trail: who did what, when, in a tamper-evident hash chain (docs/security.md)."""
