"""SageMaker AI endpoint configurations: an instance-based production variant runs more than one instance."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_map, is_set, num, number, peek, peek_items
from ..core.registry import ADVISORY, knob_names, resource_policy, string_list
from . import ENDPOINT_CONFIGURATION


@resource_policy(
    "sagemaker-endpoint-config-multi-instance", ENDPOINT_CONFIGURATION,
    description="SageMaker AI endpoint production variants should start with more than one instance, which "
                "SageMaker spreads across Availability Zones, so one failed instance or zone does not stop inference.",
    severity=Severity.MEDIUM,
    level=ADVISORY,
    anchors=("Security Hub SageMaker.4", "Config sagemaker-endpoint-config-prod-instance-count"),
    config={"exemptEndpointConfigs": string_list(
        "Endpoint configuration names (or resource names; shell-style wildcards) whose endpoints may run one "
        "instance: development or batch-like endpoints; say why next to the config.")},
)
def multi_instance(args: ResourceValidationArgs) -> Iterator[str]:
    """each `productionVariants[]` entry without `serverlessConfig` (a serverless variant has no instances) has an
    `initialInstanceCount` above 1 (knob `exemptEndpointConfigs`, by `name` or resource name); a count left out
    (pulumi-aws then sends none) or unknown is not judged, and a name is read only for a finding"""
    single = []
    for i, variant in enumerate(peek_items(args.props, "productionVariants")):
        count = number(peek(variant, "initialInstanceCount")) if is_map(variant) else None
        if isinstance(count, float | int) and count < 2 and not is_set(variant, "serverlessConfig"):
            single.append(f"productionVariants[{i}] has initialInstanceCount {num(count)}")
    if not single or knob_names(args, "exemptEndpointConfigs", peek(args.props, "name")):
        return
    for where in single:
        yield (f"{where}: the variant runs one instance in one Availability Zone, and inference stops while "
               "SageMaker replaces it; set 2 or more, which SageMaker spreads across Availability Zones, or name "
               "the configuration in exemptEndpointConfigs")
