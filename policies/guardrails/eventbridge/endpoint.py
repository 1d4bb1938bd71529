"""EventBridge global endpoints, judged by what pulumi-aws sends and EventBridge's default for what it leaves out."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek
from ..core.registry import ADVISORY, resource_policy
from . import EVENT_ENDPOINT


@resource_policy(
    "eventbridge-endpoint-replication", EVENT_ENDPOINT,
    description="EventBridge global endpoints should replicate events to the secondary region, which exercises its "
                "rules before a failover and lets the endpoint route back to the primary region by itself afterwards.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub EventBridge.4", "Config global-endpoint-event-replication-enabled"),
)
def replication(args: ResourceValidationArgs) -> Iterator[str]:
    """`replicationConfig.state` is not DISABLED (left out, with or without the block, EventBridge's default is
    ENABLED: botocore's CreateEndpoint ReplicationConfig); an unknown value is not judged"""
    if peek(args.props, "replicationConfig", "state") == "DISABLED":
        yield ("replicationConfig.state is DISABLED: nothing exercises the secondary region's rules before a "
               "failover, and after one, events return to the primary region only once its Route 53 health check is "
               "reset to healthy by hand; set ENABLED with a roleArn EventBridge assumes to replicate them")
