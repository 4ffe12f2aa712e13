"""Edits to app.py and models.py that wire a new feature in, made where a person would make them.

The files are parsed, not pattern-matched: the router goes after the last `include_router` call
of `create_app`, the import joins the `from . import ...` line, the table module joins the
imports of `models.py` and its `__all__`. Anything unexpected stops with what to add by hand.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .project import ScaffoldError

LINE_LENGTH = 100


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then the rest, like ruff's isort and RUF022."""
    bare = name.split(" as ")[0]
    kind = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
    return kind, bare


def names_statement(head: str, names: list[str], closing: str = "") -> str:
    """`head a, b, c` on one line when it fits, else one name a line with a trailing comma."""
    one_line = f"{head}{', '.join(names)}{closing}\n"
    if len(one_line) <= LINE_LENGTH + 1:
        return one_line
    opening, end = ("(", ")") if not closing else ("", closing)
    inner = "".join(f"    {name},\n" for name in names)
    return f"{head}{opening}\n{inner}{end}\n"


def alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def include_router_call(node: ast.AST) -> ast.Attribute | None:
    """`X.include_router` when `node` is the statement `X.include_router(...)`."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        function = node.value.func
        if isinstance(function, ast.Attribute) and function.attr == "include_router":
            return function
    return None


def wire_router(app_file: Path, feature: str) -> None:
    source = app_file.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    by_hand = f'add `app.include_router({feature}.router, prefix="/v1")` to create_app() by hand'
    create_app = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app"), None
    )
    if create_app is None:
        msg = f"{app_file}: no create_app(); {by_hand}"
        raise ScaffoldError(msg)
    calls = [
        node
        for node in ast.walk(create_app)
        if isinstance(node, ast.Expr) and include_router_call(node) is not None
    ]
    if not calls:
        msg = f"{app_file}: no `app.include_router(...)` in create_app(); {by_hand}"
        raise ScaffoldError(msg)
    last = max(calls, key=lambda node: node.end_lineno or node.lineno)
    function = include_router_call(last)
    assert function is not None  # noqa: S101 - selected above
    indent, receiver = " " * last.col_offset, ast.unparse(function.value)
    include = f'{indent}{receiver}.include_router({feature}.router, prefix="/v1")\n'
    lines.insert(last.end_lineno or last.lineno, include)
    lines = add_relative_import(tree, lines, feature)
    app_file.write_text("".join(lines), encoding="utf-8")


def add_relative_import(tree: ast.Module, lines: list[str], feature: str) -> list[str]:
    """`from . import a, b` gains `feature` (or the statement is written before the others)."""
    imports = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None
    ]
    if imports:
        node = imports[0]
        names = sorted({*map(alias_text, node.names), feature}, key=isort_key)
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        return [*lines[:start], names_statement("from . import ", names), *lines[end:]]
    relative = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level >= 1]
    if not relative:
        msg = f"no relative imports to join; add `from . import {feature}` by hand"
        raise ScaffoldError(msg)
    at = relative[0].lineno - 1
    return [*lines[:at], f"from . import {feature}\n", *lines[at:]]


def wire_models(models_file: Path, feature: str) -> None:
    """`from .<feature> import models as <feature>_models`, and the name in `__all__`."""
    source = models_file.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    alias = f"{feature}_models"
    exported = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.Assign)
            and [ast.unparse(t) for t in node.targets] == ["__all__"]
            and isinstance(node.value, ast.List | ast.Tuple)
        ),
        None,
    )
    if exported is None:
        msg = f"{models_file}: no `__all__ = [...]`; import {feature}.models there by hand"
        raise ScaffoldError(msg)
    assert isinstance(exported.value, ast.List | ast.Tuple)  # noqa: S101
    names = [ast.literal_eval(element) for element in exported.value.elts]
    quoted = [f'"{name}"' for name in sorted({*names, alias}, key=isort_key)]
    start, end = exported.lineno - 1, exported.end_lineno or exported.lineno
    lines[start:end] = [names_statement("__all__ = [", quoted, closing="]")]
    relative = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1]
    statement = f"from .{feature} import models as {alias}\n"
    after = [n for n in relative if (n.module or "") > feature]
    at = after[0].lineno - 1 if after else (relative[-1].end_lineno if relative else 0) or 0
    lines.insert(at, statement)
    models_file.write_text("".join(lines), encoding="utf-8")
