"""Health routes read from the service code, and what their handlers do.

A route is found by its decorator (`@router.get("/healthz")`, `@app.route(...)`), by
`add_api_route("/path", handler)` or by `Route("/path", handler)`, with its router's `prefix`.
A route is a health route when its path says so (health, healthz, healthcheck, live, ready,
ping, status, heartbeat). Its handler decides its kind: one that reaches a dependency (a
database session, `execute`, `select`, Redis, `ping()`, an HTTP client, a `check_*` helper, a
dependency injected with `Depends`) is readiness-like, whatever its name; one that does not is
liveness-like. A path that says `ready` is readiness.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..repo import Repo

HEALTH_SEGMENT = re.compile(
    r"(?i)^_?(?:health\w*|healthz|livez?|liveness|readyz?|readiness|ping|heartbeat)$|health"
)
READY_PATH = re.compile(r"(?i)ready|readiness")
METHODS = frozenset({"get", "head", "api_route", "route"})
DEPENDENCY_WORDS = re.compile(
    r"(?i)\b\w*(?:session|execute|select|redis|ping|engine|connection|conn|pool|cursor|db|"
    r"database|cache|broker|queue|client|check_\w+|probe|request|fetch|upstream|migration)\w*\b"
)


@dataclass(frozen=True)
class Route:
    path: str
    file: str
    line: int
    handler: str
    touches: tuple[str, ...]  # the dependency-like names its handler uses; empty: none

    @property
    def readiness(self) -> bool:
        return bool(self.touches) or bool(READY_PATH.search(self.path))

    @property
    def where(self) -> str:
        return f"{self.path} ({self.file}:{self.line})"


def is_health(path: str) -> bool:
    segments = [segment for segment in path.split("/") if segment]
    return segments in (["status"], ["_status"]) or any(HEALTH_SEGMENT.search(s) for s in segments)


def routes(repo: Repo) -> list[Route]:
    return repo.memo("routes", lambda: list(find_routes(repo)))  # type: ignore[no-any-return]


def find_routes(repo: Repo) -> list[Route]:
    found: list[Route] = []
    for path in repo.service_python_files:
        text = repo.text(path) or ""
        if "route" not in text and ".get(" not in text and "Route(" not in text:
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        found.extend(routes_in(tree, path))
    return found


def literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def prefixes(tree: ast.Module) -> dict[str, str]:
    """router variable -> prefix, from `router = APIRouter(prefix="/x")`."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for keyword in node.value.keywords:
                if keyword.arg == "prefix" and literal(keyword.value) is not None:
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            found[target.id] = literal(keyword.value) or ""
    return found


def routes_in(tree: ast.Module, path: str) -> list[Route]:
    prefix = prefixes(tree)
    functions = {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found: list[Route] = []
    for function in functions.values():
        for decorator in function.decorator_list:
            if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
                continue
            if decorator.func.attr not in METHODS or not decorator.args:
                continue
            route = literal(decorator.args[0])
            owner = decorator.func.value
            base = prefix.get(owner.id, "") if isinstance(owner, ast.Name) else ""
            if route is not None and is_health(base + route):
                found.append(made(base + route, path, function))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        route = literal(node.args[0])
        handler = node.args[1]
        if name in ("add_api_route", "add_route", "Route") and route and is_health(route):
            target = functions.get(handler.id) if isinstance(handler, ast.Name) else None
            if target is not None:
                found.append(made(route, path, target))
    return found


def made(route: str, path: str, function: ast.FunctionDef | ast.AsyncFunctionDef) -> Route:
    return Route(route, path, function.lineno, function.name, touches(function))


def touches(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """Names in the handler (parameters, annotations, calls) that reach a dependency."""
    names: list[str] = []
    arguments = function.args.args + function.args.kwonlyargs
    for argument in arguments:
        if argument.arg in ("request", "response", "self"):
            continue
        names.append(argument.arg)
        if argument.annotation is not None:
            names.append(ast.unparse(argument.annotation))
    defaults = function.args.defaults + [d for d in function.args.kw_defaults if d is not None]
    names.extend(ast.unparse(default) for default in defaults if isinstance(default, ast.Call))
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and node is not function:
            names.append(ast.unparse(node.func))
    found = [word for name in names for word in DEPENDENCY_WORDS.findall(name)]
    return tuple(dict.fromkeys(found))
