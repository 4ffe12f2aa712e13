"""`junit.xml`: one test case per eval case and per gate, for CI test-report views.

A case that fails now and failed in the baseline is "skipped" as a known failure, so the
report is red exactly where this change made things worse or a gate failed.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..results import CaseResult, SuiteResults
from .wording import case_problem, gate_row, known_failure


def junit_xml(results: SuiteResults) -> str:
    name = f"evals.{results.suite}"
    suite = ET.Element("testsuite", name=name, timestamp=results.started_at.isoformat())
    properties = ET.SubElement(suite, "properties")
    for key, value in {
        "mode": results.mode,
        "git_sha": results.git_sha or "",
        "model_config_sha256": results.models.sha256,
        "exit_code": str(results.exit_code),
    }.items():
        ET.SubElement(properties, "property", name=key, value=value)
    for case in results.cases:
        add_case(suite, name, results, case)
    for gate in results.gates:
        element = ET.SubElement(suite, "testcase", classname=f"{name}.gates", name=gate.name)
        if not gate.passed:
            what, limit, actual = gate_row(gate)
            failure = ET.SubElement(element, "failure", message=f"{what} {actual}, limit {limit}")
            failure.text = f"{what}: {actual} (limit {limit})"
    tests = list(suite.iter("testcase"))
    counts = {
        "tests": len(tests),
        "failures": sum(1 for t in tests if t.find("failure") is not None),
        "errors": sum(1 for t in tests if t.find("error") is not None),
        "skipped": sum(1 for t in tests if t.find("skipped") is not None),
    }
    for key, count in counts.items():
        suite.set(key, str(count))
    elapsed = (results.finished_at - results.started_at).total_seconds()
    suite.set("time", f"{elapsed:.3f}")
    root = ET.Element("testsuites", {"name": "evals", **{k: str(v) for k, v in counts.items()}})
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def add_case(suite: ET.Element, classname: str, results: SuiteResults, case: CaseResult) -> None:
    element = ET.SubElement(suite, "testcase", classname=classname, name=case.id)
    latencies = [a.latency_ms for a in case.attempts if a.latency_ms is not None]
    element.set("time", f"{sum(latencies) / 1000:.3f}")
    problem = case_problem(case)
    if case.measured < len(case.attempts):
        kinds = {a.error.kind for a in case.attempts if a.error is not None}
        ET.SubElement(element, "error", message=problem, type=", ".join(sorted(kinds)))
    elif known_failure(results, case):
        ET.SubElement(element, "skipped", message=f"known failure, as in the baseline: {problem}")
    elif case.passed is False:
        failure = ET.SubElement(element, "failure", message=problem)
        failure.text = f"{case.passes}/{case.measured} attempts passed. {problem}"
