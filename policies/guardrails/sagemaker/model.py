"""SageMaker AI models: the model's containers run network-isolated."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import peek, switched_off
from ..core.registry import knob_names, resource_policy, string_list
from . import MODEL


@resource_policy(
    "sagemaker-model-network-isolation", MODEL,
    description="SageMaker AI models must isolate their containers from the network: no inbound or outbound calls "
                "and no AWS credentials in the container, so a compromised model cannot reach out or be reached.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.5", "Config sagemaker-model-isolation-enabled"),
    config={"exemptModels": string_list(
        "Model names (or resource names; shell-style wildcards) whose inference code must call out at run time "
        "(another service, a feature store); say why next to the config.")},
)
def network_isolation(args: ResourceValidationArgs) -> Iterator[str]:
    """`enableNetworkIsolation` is true (left out, pulumi-aws sends none and CreateModel's default is false) unless
    knob `exemptModels` names the model (by `name` or resource name); an unknown value is not judged, and a name is
    read only for a finding"""
    off = switched_off(args.props, "enableNetworkIsolation")
    if off is None or knob_names(args, "exemptModels", peek(args.props, "name")):
        return
    yield (f"enableNetworkIsolation is {off}: the model's containers can make and take network calls, to the "
           "internet too unless a VPC stops them, and get the execution role's credentials; set true (SageMaker "
           "still loads the model artifacts and image; it sets it at creation only: the model is replaced)")
