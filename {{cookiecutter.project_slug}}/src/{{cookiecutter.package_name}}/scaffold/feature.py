"""`new feature NAME`: a domain package (router, schemas, service, table, tests), wired into
`app.py` and `models.py`, with the migration that creates its table."""

from __future__ import annotations

from pathlib import Path

from ..core.settings import Settings
from .migration import write_migration
from .names import camel_case, check_name, singular
from .project import Project, ScaffoldError, render
from .wiring import wire_models, wire_router

FILES = ("__init__.py", "models.py", "schemas.py", "service.py", "router.py")


def existing_names(project: Project) -> set[str]:
    """Modules and packages of the project, and what a feature must not shadow."""
    taken = {path.stem for path in project.package.iterdir() if not path.name.startswith("_")}
    return taken | {"tests", "test", "v1", "api"}


def write_feature(project: Project, settings: Settings, name: str) -> list[Path]:
    check_name("feature", name, existing_names(project))
    row_name = singular(name)
    values = {
        "name": name,
        "title": name.replace("_", " ").capitalize(),
        "row": camel_case(row_name),
        "row_name": row_name,
    }
    package = project.package / name
    tests = project.root / "tests" / name
    files = {package / f: render(f"feature/{f}.tmpl", **values) for f in FILES}
    files[tests / "__init__.py"] = ""
    files[tests / "test_router.py"] = render("feature/test_router.py.tmpl", **values)
    written = project.write_new(files)
    try:
        wire_router(project.package / "app.py", name)
        wire_models(project.package / "models.py", name)
    except ScaffoldError as error:
        msg = f"{error}\n(the package and its tests are written: src/.../{name}/, tests/{name}/)"
        raise ScaffoldError(msg) from None
    written += [project.package / "app.py", project.package / "models.py"]
    written.append(write_migration(project, settings, f"create {name}"))
    return written
