"""Alert rules, dashboard, compose profiles and Kubernetes manifests of a baked project,
checked with the real tools: promtool (Debian's `prometheus` package), kubectl's kustomize
and kubernetes-validate (both from PyPI, in the shared environment).

promtool missing fails the test in CI (CI=true, `.ci/run` installs it) and skips it locally.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from .baking import BIN_DIR, bake, describe, run

IN_CI = os.environ.get("CI", "").lower() == "true"
K8S_VERSION = "1.33.0"
OVERLAYS = ("staging", "production")


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        reason = "promtool is not installed: apt-get install prometheus (.ci/run does)"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
        pytest.skip(reason)
    return found


def venv_tool(name: str) -> str:
    found = shutil.which(name, path=f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        pytest.fail(f"{name} is not installed: run `make install` (it comes with .[test])")
    return found


@pytest.fixture(scope="module")
def rendered(default_project: Path) -> dict[str, list[dict[str, Any]]]:
    """`make check-deploy` with the shared environment's kubectl and kubernetes-validate."""
    result = run(
        [
            "make",
            "check-deploy",
            f"KUBECTL={venv_tool('kubectl')}",
            f"KUBERNETES_VALIDATE={venv_tool('kubernetes-validate')}",
            f"K8S_VERSION={K8S_VERSION}",
        ],
        cwd=default_project,
    )
    assert result.returncode == 0, describe(result)
    for overlay in OVERLAYS:
        assert f"overlays/{overlay}/: rendered and valid for Kubernetes {K8S_VERSION}" in (
            result.stdout
        )
    out = default_project / "var" / "kubernetes"
    return {
        overlay: [doc for doc in yaml.safe_load_all((out / f"{overlay}.yaml").read_text()) if doc]
        for overlay in OVERLAYS
    }


def only(documents: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [doc for doc in documents if doc["kind"] == kind]
    return found


# --- alert rules ------------------------------------------------------------------------------


def test_promtool_checks_the_rules_and_runs_their_unit_tests(default_project: Path) -> None:
    result = run([promtool(), "--version"], cwd=default_project)
    assert result.returncode == 0, describe(result)

    check = run(["make", "check-alerts"], cwd=default_project)

    assert check.returncode == 0, describe(check)
    assert "SUCCESS" in check.stdout


def test_promtool_fails_a_rule_file_whose_alert_does_not_fire(tmp_path: Path) -> None:
    project = bake(tmp_path)
    rules = project / "deploy" / "prometheus" / "alerts.yml"
    # A much looser objective: the "10% of requests fail" test no longer pages.
    rules.write_text(rules.read_text().replace("vector(0.995)", "vector(0.5)"))
    result = run([promtool(), "test", "rules", "alerts.test.yml"], cwd=rules.parent)

    assert result.returncode != 0
    assert "ErrorBudgetBurnFast" in result.stdout + result.stderr


# --- dashboard and compose --------------------------------------------------------------------


def test_the_dashboard_is_copied_unrendered_and_parses(default_project: Path) -> None:
    path = default_project / "deploy" / "grafana" / "dashboards" / "service.json"
    dashboard = json.loads(path.read_text())

    assert "{{route}}" in path.read_text()  # Grafana's legend syntax survived the bake.
    titles = {panel["title"] for panel in dashboard["panels"]}
    assert {"Request rate by route", "Cost per alias (USD per hour)"} <= titles


def test_compose_profiles_add_prometheus_grafana_and_redis(default_project: Path) -> None:
    compose = yaml.safe_load((default_project / "compose.yaml").read_text())
    services = compose["services"]

    assert services["prometheus"]["profiles"] == ["observability"]
    assert services["grafana"]["profiles"] == ["observability"]
    assert services["redis"]["profiles"] == ["redis"]
    for service in ("prometheus", "grafana"):
        for volume in services[service]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (default_project / source).exists(), f"{service} mounts {source}"
    scrape = yaml.safe_load((default_project / "deploy/prometheus/prometheus.yml").read_text())
    assert scrape["scrape_configs"][0]["static_configs"][0]["targets"] == ["app:9100"]
    assert services["app"]["environment"]["APP_METRICS_PORT"] == 9100


# --- Kubernetes -------------------------------------------------------------------------------


def test_each_overlay_renders_and_validates(rendered: dict[str, list[dict[str, Any]]]) -> None:
    for documents in rendered.values():
        kinds = {doc["kind"] for doc in documents}
        assert kinds >= {
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "Job",
            "ConfigMap",
            "ServiceAccount",
        }
        assert "Secret" not in kinds  # Secrets by reference only.
    staging, production = (only(rendered[o], "ConfigMap")["data"] for o in OVERLAYS)
    assert (staging["APP_ENV"], production["APP_ENV"]) == ("staging", "production")


def test_the_deployment_is_locked_down_and_probed(
    rendered: dict[str, list[dict[str, Any]]], default_project: Path
) -> None:
    pod = only(rendered["production"], "Deployment")["spec"]["template"]["spec"]
    (container,) = pod["containers"]

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert set(container["resources"]) == {"requests", "limits"}
    assert {port["containerPort"] for port in container["ports"]} == {8000, 9100}
    assert pod["terminationGracePeriodSeconds"] > longest_total_timeout(default_project)
    secret_volumes = [v for v in pod["volumes"] if "secret" in v]
    assert [v["secret"]["secretName"] for v in secret_volumes] == ["ai-service-secrets"]


def longest_total_timeout(project: Path) -> float:
    longest = 0.0
    for path in (project / "config").glob("models*.toml"):
        text = path.read_text()
        longest = max([longest, *map(float, re.findall(r"total_seconds = ([0-9.]+)", text))])
    assert longest > 0
    return longest


def test_the_validator_rejects_a_broken_manifest(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
        "spec: {replicas: two, selector: {matchLabels: {a: b}},"
        " template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}\n"
    )

    result = run(
        [venv_tool("kubernetes-validate"), "--strict", "-k", K8S_VERSION, str(broken)],
        cwd=tmp_path,
    )

    assert result.returncode != 0
    assert "spec.replicas" in result.stdout + result.stderr


def test_the_optional_servicemonitor_component_renders(default_project: Path) -> None:
    """As the production overlay's comment says: uncomment its `components:` lines."""
    overlays = default_project / "deploy" / "kubernetes" / "overlays"
    overlay = overlays / "production-with-servicemonitor"
    shutil.copytree(overlays / "production", overlay)
    try:
        kustomization = overlay / "kustomization.yaml"
        text = kustomization.read_text()
        enabled = text.replace("# components:\n#   - ", "components:\n  - ")
        assert enabled != text
        kustomization.write_text(enabled)
        result = run([venv_tool("kubectl"), "kustomize", str(overlay)], cwd=default_project)
    finally:
        shutil.rmtree(overlay)

    assert result.returncode == 0, describe(result)
    monitor = only(list(yaml.safe_load_all(result.stdout)), "ServiceMonitor")
    assert monitor["metadata"]["namespace"] == "ai-service"
    assert monitor["spec"]["endpoints"] == [{"interval": "30s", "port": "metrics"}]


def test_without_docker_no_kubernetes_but_the_rules_and_dashboard_stay(tmp_path: Path) -> None:
    project = bake(tmp_path, docker="no", ci_provider="gitlab")

    assert not (project / "deploy" / "kubernetes").exists()
    assert not (project / "docs" / "deploy.md").exists()
    assert not (project / "deploy" / "grafana" / "provisioning").exists()
    assert (project / "deploy" / "prometheus" / "alerts.yml").is_file()
    assert (project / "deploy" / "grafana" / "dashboards" / "service.json").is_file()
    assert "check-deploy" not in (project / "Makefile").read_text()
    assert "kubernetes:" not in (project / ".gitlab-ci.yml").read_text()
