"""A small Dockerfile reader: instructions with line numbers, and the final stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int


def instructions(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined; comments and parser directives dropped."""
    found: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = " ".join(part.strip() for part in pending if part.strip())
        pending = []
        keyword, _, arguments = joined.partition(" ")
        found.append(Instruction(keyword.upper(), arguments.strip(), start))
    return found


def final_stage(found: list[Instruction]) -> list[Instruction]:
    """The instructions of the last FROM stage: the image that runs."""
    starts = [index for index, instruction in enumerate(found) if instruction.keyword == "FROM"]
    return found[starts[-1] :] if starts else found
