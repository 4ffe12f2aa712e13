"""The scorers: every `@scorer` in a module of this package is registered by its name.

Add one by writing a function in a new or existing module here; see docs/evals.md.
"""
