"""Compare a repository with a fresh render of its template, file by file, by role."""

from __future__ import annotations

import difflib
from pathlib import Path

from . import structured
from .findings import DRF001, DRF002, DRF003, DRF004
from .manifest import Manifest, Role
from .results import DriftSummary, Result

MAX_LISTED = 10


def rendered_files(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    )


def compare(
    rendered: Path, repo: Path, manifest: Manifest, against: str
) -> tuple[list[Result], DriftSummary]:
    summary = DriftSummary(against=against)
    results: list[Result] = []
    checked: dict[Role, int] = dict.fromkeys(("owned", "structured", "seeded", "ignored"), 0)
    for path in rendered_files(rendered):
        role = manifest.role_of(path)
        checked[role] += 1
        ours, theirs = rendered / path, repo / path
        if role == "ignored":
            continue
        if not theirs.is_file():
            results.append(deleted(role, path))
        elif role == "owned":
            results.extend(owned(path, ours.read_bytes(), theirs.read_bytes()))
        elif role == "structured":
            results.extend(structured_drift(path, ours, theirs))
    summary.files = sum(checked.values())
    summary.roles = {str(role): count for role, count in checked.items()}
    for finding, role in (
        (DRF001, "owned"),
        (DRF002, "owned"),
        (DRF003, "structured"),
        (DRF004, "seeded"),
    ):
        if not any(result.id == finding.id for result in results):
            results.append(finding.result("pass", f"{checked[role]} {role} files compared"))
    return results, summary


def deleted(role: Role, path: str) -> Result:
    if role == "owned":
        return DRF001.result("fail", "owned file deleted", path=path)
    if role == "structured":
        return DRF003.result("fail", "structured file deleted: every entry is missing", path=path)
    return DRF004.result("fail", "seeded file deleted", path=path)


def normalized(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def owned(path: str, template: bytes, repo: bytes) -> list[Result]:
    if normalized(template) == normalized(repo):
        return []
    try:
        before = normalized(template).decode("utf-8").splitlines(keepends=True)
        after = normalized(repo).decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return [DRF002.result("fail", "owned file modified (binary)", path=path)]
    diff = list(difflib.unified_diff(before, after, f"template/{path}", f"repo/{path}"))
    changes = [line for line in diff[2:] if line[:1] in "+-"]
    added = sum(line.startswith("+") for line in changes)
    text = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    return [
        DRF002.result(
            "fail",
            f"owned file modified (+{added} -{len(changes) - added} lines)",
            path=path,
            diff=text,
            changed_lines=len(changes),
        )
    ]


def structured_drift(path: str, template: Path, repo: Path) -> list[Result]:
    try:
        wanted = structured.entries(path, template.read_text(encoding="utf-8"))
    except (structured.Unparsable, UnicodeDecodeError):
        return []  # the template's own file is not ours to judge here
    if wanted is None:
        return []
    try:
        present = structured.entries(path, repo.read_text(encoding="utf-8")) or set()
    except UnicodeDecodeError:
        return [DRF003.result("fail", "not UTF-8 text", path=path)]
    except structured.Unparsable as error:
        return [DRF003.result("fail", str(error), path=path)]
    missing = sorted(wanted - present)
    if not missing:
        return []
    listed = ", ".join(missing[:MAX_LISTED])
    more = f" and {len(missing) - MAX_LISTED} more" if len(missing) > MAX_LISTED else ""
    return [
        DRF003.result("fail", f"missing {len(missing)} required entries: {listed}{more}", path=path)
    ]
