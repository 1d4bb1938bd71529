"""GuardDuty detectors, judged by what a stack turns off: a detector's `enable` false (CreateDetector and
UpdateDetector take Enable; terraform-provider-aws sends true when it is left out)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_false, peek
from ..core.registry import resource_policy
from . import DETECTOR


@resource_policy(
    "guardduty-detector-enabled", DETECTOR,
    description="GuardDuty detectors must not be suspended: a suspended detector stops all of GuardDuty's threat "
                "detection in its account and Region.",
    severity=Severity.HIGH,
    anchors=("Security Hub GuardDuty.1", "Config guardduty-enabled-centralized"),
)
def enabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`enable` is not false (left out, pulumi-aws sends true); an unknown value is not judged"""
    if is_false(peek(args.props, "enable")):
        yield ("enable is false: GuardDuty suspends the detector and stops analysing the account's CloudTrail, VPC "
               "flow and DNS logs in this Region, so no threat finding reaches anyone; leave it out or set true")
