"""Evals: does a change make the AI better or worse? Suites of cases, scored and gated in CI.

See docs/evals.md. `python -m {{ cookiecutter.package_name }} eval run|compare|bless|status` is the entry point.
"""
