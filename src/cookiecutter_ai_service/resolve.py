"""What a CI job really runs: its commands followed through one to four levels of indirection.

CI rarely calls `pytest` itself. It calls `make test`, `task lint_types`, `just check`,
`npm run lint`, `tox`, `bash scripts/test.sh`, `python -m scripts.db upgrade`, a reusable
workflow or a composite action, or `pre-commit run` / `prek run` (whose hooks do the work).
`expand()` returns the job's own lines followed by the text each of those resolves to, so the
checks can look for the tools themselves.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .ci_config import CiJob, as_dict, as_list
from .runners import join, make_recipes, recipe_closure, task_table

if TYPE_CHECKING:
    from .repo import Repo

MAX_DEPTH = 4
MAX_SCRIPT_BYTES = 200_000
MATRIX = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
SHELL_SPLIT = re.compile(r"&&|\|\||;|\||\n|\$\(|`")
RUNNER_PREFIXES = frozenset(
    "uv poetry pdm hatch rye pipenv run exec time sudo env npx uvx pipx --no-sync --frozen "
    "--locked --all-packages --with --dev".split()
)
PRE_COMMIT = re.compile(r"\b(?:pre-commit|prek)\s+run\b|pre-commit/action@")
SCRIPT_SUFFIXES = (".sh", ".bash", ".py", "")


def expand(repo: Repo, job: CiJob) -> str:
    """The job's commands, then everything they resolve to (cached per job on the repo)."""
    lines = [job.commands]
    workdirs = (*job.workdirs, repo.service, "")
    seen: set[str] = set()
    for line in matrix_lines(job.commands, job.matrix):
        lines.extend(resolve_line(repo, line, workdirs, 0, seen))
    for uses in re.findall(r"(?:^|\s)(\./\.github/[\w./-]+)", job.commands):
        lines.extend(local_action(repo, uses.removeprefix("./"), workdirs, seen))
    return uncommented("\n".join(lines))


INSTALL = re.compile(
    r"^\s*(?:sudo\s+)?(?:python3?\s+-m\s+)?(?:pip3?|uv\s+pip|uv\s+tool|uv|pipx|poetry|pdm|"
    r"apt-get|apt|npm|pnpm|yarn|brew)\s+(?:install|add)\b"
)


def uncommented(text: str) -> str:
    """Commented-out commands do not run (`# mypy src` is not a type check), and installing a
    tool is not running it (`pip install ruff mypy`)."""
    return "\n".join(
        line
        for line in text.splitlines()
        if not line.lstrip().startswith("#") and not INSTALL.match(line)
    )


def matrix_lines(text: str, matrix: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Each line once per value of the matrix entries it names (`make ${{ matrix.check }}`)."""
    out: list[str] = []
    for line in text.splitlines():
        variants = [line]
        for name in MATRIX.findall(line):
            values = matrix.get(name) or ("",)
            variants = [
                substitute(variant, name, value) for variant in variants for value in values
            ]
        out.extend(variants)
    return out


def substitute(line: str, name: str, value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return value if match.group(1) == name else match.group(0)

    return MATRIX.sub(replace, line)


def commands_of(line: str) -> Iterator[list[str]]:
    """The simple commands of a shell line as words, runner prefixes dropped."""
    for part in SHELL_SPLIT.split(line):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            words = part.split()
        while words and (words[0] in RUNNER_PREFIXES or re.match(r"^[A-Z_][A-Z0-9_]*=", words[0])):
            words = words[1:]
        if words:
            yield words


def resolve_line(
    repo: Repo, line: str, workdirs: tuple[str, ...], depth: int, seen: set[str]
) -> list[str]:
    if depth >= MAX_DEPTH:
        return []
    found: list[str] = []
    if PRE_COMMIT.search(line):
        found.extend(hooks_text(repo, workdirs, seen))
    for words in commands_of(line):
        for key, text, where in targets(repo, words, workdirs):
            if key in seen:
                continue
            seen.add(key)
            found.append(text)
            deeper = (*where, *workdirs)
            for inner in text.splitlines():
                found.extend(resolve_line(repo, inner, deeper, depth + 1, seen))
    return found


def targets(
    repo: Repo, words: list[str], workdirs: tuple[str, ...]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(cache key, text, folders it runs in) of what a command resolves to."""
    tool, args = words[0].rsplit("/", 1)[-1], words[1:]
    if tool in ("make", "gmake", "$(MAKE)", "${MAKE}"):
        yield from make_targets(repo, args, workdirs)
    elif tool in ("task", "poe", "just", "nox", "tox") or (
        tool in ("npm", "pnpm", "yarn", "bun") and args
    ):
        yield from runner_tasks(repo, tool, args, workdirs)
    elif tool in ("python", "python3") and args[:1] == ["-m"] and len(args) > 1:
        module = args[1].replace(".", "/")
        yield from files(repo, (f"{module}.py", f"{module}/__main__.py"), workdirs)
    elif tool in ("bash", "sh", "zsh", "source", ".", "python", "python3") and args:
        yield from files(repo, (args[0].removeprefix("./"),), workdirs)
    elif words[0].startswith("./.github/"):
        return  # a reusable workflow or local action: read by local_action()
    elif words[0].startswith(("./", "scripts/", "bin/")) or words[0].endswith(".sh"):
        yield from files(repo, (words[0].removeprefix("./"),), workdirs)


def files(
    repo: Repo, names: tuple[str, ...], workdirs: tuple[str, ...]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for folder in dict.fromkeys(workdirs):
        for name in names:
            path = join(folder, name)
            text = repo.text(path)
            if text is not None and len(text) < MAX_SCRIPT_BYTES:
                yield path, text, (folder,)
                return


def make_targets(
    repo: Repo, args: list[str], workdirs: tuple[str, ...]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    folders, names, makefile = list(workdirs), [], "Makefile"
    options = iter(args)
    for arg in options:
        if arg in ("-C", "--directory"):
            folders.insert(0, next(options, "").removeprefix("./").rstrip("/"))
        elif arg in ("-f", "--file"):
            makefile = next(options, makefile)
        elif not arg.startswith("-") and "=" not in arg:
            names.append(arg)
    for folder in dict.fromkeys(folders):
        path = join(folder, makefile)
        recipes = make_recipes(repo.text(path))
        if recipes:
            for name in names or list(recipes)[:1]:
                for key, text in recipe_closure(recipes, name):
                    yield f"{path}:{key}", text, (folder,)
            return


def runner_tasks(
    repo: Repo, tool: str, args: list[str], workdirs: tuple[str, ...]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    names = [a for a in args if not a.startswith("-")]
    if tool in ("npm", "pnpm", "yarn", "bun") and names[:1] == ["run"]:
        names = names[1:]
    for folder in dict.fromkeys(workdirs):
        if tool in ("nox", "tox"):
            for name in ("noxfile.py",) if tool == "nox" else ("tox.ini", "pyproject.toml"):
                text = repo.text(join(folder, name))
                if text:
                    yield join(folder, name), text, (folder,)
                    return
            continue
        scripts = task_table(repo, tool, folder)
        if names and names[0] in scripts:
            yield f"{folder}:{tool}:{names[0]}", scripts[names[0]], (folder,)
            return


def hooks_text(repo: Repo, workdirs: tuple[str, ...], seen: set[str]) -> list[str]:
    """What `pre-commit run` runs: each hook's id, name and entry, one per line."""
    from .checks.precommit import CONFIGS, hooks

    for folder in dict.fromkeys(workdirs):
        for name in CONFIGS:
            path = join(folder, name)
            if repo.exists(path):
                if path in seen:
                    return []
                seen.add(path)
                return [f"{hook.id} {hook.entry}" for hook in hooks(repo, path)]
    return []


def local_action(repo: Repo, path: str, workdirs: tuple[str, ...], seen: set[str]) -> list[str]:
    """Commands of a reusable workflow or a composite action kept in the repository."""
    if path in seen:
        return []
    seen.add(path)
    candidates = (
        [path]
        if path.endswith((".yml", ".yaml"))
        else [
            f"{path}/action.yml",
            f"{path}/action.yaml",
        ]
    )
    found: list[str] = []
    for candidate in candidates:
        document = as_dict(repo.yaml(candidate))
        steps: list[Any] = as_list(as_dict(document.get("runs")).get("steps"))
        for job in as_dict(document.get("jobs")).values():
            steps.extend(as_list(as_dict(job).get("steps")))
        for step in steps:
            run = as_dict(step).get("run")
            if isinstance(run, str):
                found.append(run)
                found.extend(resolve_line(repo, run, workdirs, 1, seen))
    return found
