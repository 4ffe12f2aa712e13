"""Governance: what the service promises and who answers for it.

`nfr.py` reads `nfr.toml` (latency, cost and quality per task; availability; retention),
`owners.py` derives `CODEOWNERS` from the owners the tasks and aliases name, `retention.py`
deletes what is older than the retention allows, `readiness.py` joins the evidence against the
NFRs and `model_card.py` writes `docs/model-card.md`. `cli.py` is their command line; see
docs/governance.md.
"""
