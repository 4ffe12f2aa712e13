"""Evals: does a change make the AI better or worse? Suites of cases, scored and gated in CI.

`python -m {{ cookiecutter.package_name }} eval run|compare|bless|status` is the entry point:
`cli.py` parses it, `commands.py` does it. A run: `suite.py` and `dataset.py` load a suite,
`run.py` builds the gateway for the mode (`recordings.py` for replay and record), `cases.py`
runs each case through `Task.run` and the `scorers/`, `verdict.py` applies the gates against
the baseline (`baseline.py`), then `report/` writes the reports and `store.py` the database
rows. See docs/evals.md.
"""
