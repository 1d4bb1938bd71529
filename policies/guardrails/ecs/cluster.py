"""ECS clusters. Container Insights lives in `settings[]` (plural on the wire)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, dig
from ..core.registry import ADVISORY, resource_policy
from . import CLUSTER


@resource_policy(
    "ecs-cluster-container-insights", CLUSTER,
    description="ECS clusters must enable Container Insights.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Security Hub ECS.12", "Config ecs-container-insights-enabled", "CKV_AWS_65"),
)
def container_insights(args: ResourceValidationArgs) -> Iterator[str]:
    """`settings` has `containerInsights` = enabled or enhanced"""
    values = [dig(s, "value") for s in as_list(args.props.get("settings")) if dig(s, "name") == "containerInsights"]
    if not values:
        yield "settings has no containerInsights entry; set containerInsights = enabled (or enhanced)"
    elif values[-1] not in ("enabled", "enhanced"):
        yield f"settings containerInsights is {values[-1]}; set it to enabled (or enhanced)"
