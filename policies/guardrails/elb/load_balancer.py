"""Application and network load balancers: access logs into a bucket."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, is_set, is_true
from ..core.registry import resource_policy
from . import LOAD_BALANCERS


@resource_policy(
    "elb-loadbalancer-access-logs", LOAD_BALANCERS,
    description="Application and network load balancers must write access logs to an S3 bucket.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ELB.5", "CKV_AWS_91"),
)
def access_logs(args: ResourceValidationArgs) -> Iterator[str]:
    """`accessLogs.enabled` is true with a `bucket` (gateway load balancers keep no access logs)"""
    if dig(args.props, "loadBalancerType") == "gateway":
        args.not_applicable("gateway load balancers have no access logs")
    logs = dig(args.props, "accessLogs") or {}
    if not is_true(dig(logs, "enabled")):
        yield "accessLogs.enabled is not true; the load balancer keeps no access logs"
    elif not is_set(logs, "bucket"):
        yield "accessLogs has no bucket"
