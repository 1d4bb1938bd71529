"""The operations docs name real resources: every name a CLI command in them passes is one a preview creates."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tests.test_docs_commands import commands_in

DOCS = ("docs/failover.md", "docs/incident-response.md", "docs/migration.md",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "runbooks").glob("*.md")))
# CLI flags whose value is a physical name the program chooses.
NAME_FLAGS = ("--cluster", "--name", "--trail-name", "--services", "--service", "--service-name", "--alarm-names", "--alarm-name", "--names",
              "--firewall-name", "--mesh-name", "--virtual-router-name", "--route-name", "--secret-id",
              "--log-group-name", "--trail-name-list", "--dashboard-name")
# Input keys that carry a physical name.
NAME_KEYS = ("name", "family", "dashboardName", "firewallName", "stageName")


# Docs whose commands name resources by placeholder alone (`--cluster <env>-mesh`), for any stack: nothing here to
# look up. Every other doc must name at least one resource, so that its case checks something.
BY_PLACEHOLDER = frozenset({
    "docs/runbooks/README.md", "docs/runbooks/api-5xx-rate.md", "docs/runbooks/api-p99-latency.md",
    "docs/runbooks/dns-firewall-blocked-queries.md", "docs/runbooks/network-firewall-dropped-packets.md",
    "docs/runbooks/load-balancer-no-healthy-hosts.md", "docs/runbooks/load-balancer-unhealthy-hosts.md",
    "docs/runbooks/nat-gateway-packets-dropped.md", "docs/runbooks/nat-gateway-port-allocation-errors.md",
    "docs/runbooks/service-5xx-rate.md", "docs/runbooks/service-cpu-high.md", "docs/runbooks/service-memory-high.md",
    "docs/runbooks/service-p99-latency.md", "docs/runbooks/service-tasks-below-desired.md",
    "docs/runbooks/vpc-endpoint-packets-dropped.md"})


def _names_in(doc: str) -> list[str]:
    """The names the doc's AWS CLI commands pass, in fenced blocks and inline code spans alike (the commands
    test_docs_commands.py checks): runbooks give most of theirs inline."""
    return [n for command in commands_in(doc, (ROOT / doc).read_text()) for n in _named(" ".join(command.words))]


def _named(command: str) -> list[str]:
    """The names passed to NAME_FLAGS (several values may follow a flag) and to `aws logs tail`."""
    tokens = command.split()
    names = []
    for i, token in enumerate(tokens):
        if token in NAME_FLAGS:
            for value in tokens[i + 1:]:
                if value.startswith("-") or value.startswith("#"):
                    break
                names.append(value)
        if token == "tail" and i > 0 and tokens[i - 1] == "logs":
            names.append(tokens[i + 1])
    # Placeholders and shell expansions are filled in by the reader.
    return [n for n in names if not re.search(r"[<>$`{}]", n)]


@pytest.fixture(scope="module")
def physical_names(prod_preview, prod_appmesh_preview, prod_eu_preview, edge_preview, iot_preview):
    # The procedures cover both data planes: a name must exist in prod under one of them, in prod-eu, in the
    # global layer or (the device API runbooks) in iot.
    names = set()
    for result in (prod_preview, prod_appmesh_preview, prod_eu_preview, edge_preview, iot_preview):
        for resource in result.resources:
            names.update(v for k, v in resource.inputs.items() if k in NAME_KEYS and isinstance(v, str))
    return names


@pytest.mark.parametrize("doc", DOCS)
def test_every_name_in_the_commands_exists_in_a_preview(doc, physical_names):
    named = _names_in(doc)
    assert bool(named) is (doc not in BY_PLACEHOLDER)
    assert [n for n in named if n not in physical_names] == []


def test_the_failover_page_names_enough_to_be_checked():
    named = set(_names_in("docs/failover.md"))
    # The cluster, services of both kinds, alarms, the firewall, the mesh route, a secret, log groups.
    assert {"prod-mesh", "prod-order-service-sc", "prod-order-service-v1", "prod-egress", "weighted",
            "prod/mesh/tls/user-service", "/prod/ecs/order-service-sc/app", "ingress-alb-prod", "prod-ingress"} <= named
    assert len(named) >= 15


def test_a_wrong_name_would_be_caught(physical_names):
    assert _named("aws ecs describe-services --cluster prod-mesh --services prod-no-such-service") == [
        "prod-mesh", "prod-no-such-service"]
    assert "prod-no-such-service" not in physical_names
