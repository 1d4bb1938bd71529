"""VPC flow logs: every VPC in the stack records the traffic it turns away, for incident response."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, peek
from ..core.registry import stack_policy
from ..core.stack import may_refer, native_companion, of_type, refers_to
from . import FLOW_LOG, VPC, VPCS

# The traffic types that record rejected traffic: Security Hub EC2.6's parameter `trafficType` defaults to REJECT,
# and ALL holds it. An ACCEPT-only log does not show the probes a security group or network ACL turned away.
_RECORDS_REJECTS = ("ALL", "REJECT")


@stack_policy(
    "ec2-vpc-flow-logs", VPCS,
    description="Every VPC has a flow log that records rejected traffic, for incident response.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.6", "Config vpc-flow-logs-enabled", "CKV2_AWS_11"),
)
def flow_logs(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """every VPC in the stack (a `Vpc`, or an adopted `DefaultVpc`) is named by the `vpcId` of an
    `aws:ec2/flowLog:FlowLog` whose `trafficType` is ALL or REJECT (a flow log on a subnet or network interface
    covers only that part of the VPC; EC2 keeps no flow log unless asked); a flow log whose `vpcId` or
    `trafficType` is unknown and might decide leaves the VPC unjudged"""
    for vpc in of_type(args.resources, *VPCS):
        verdict = _logged(args.resources, vpc)
        if verdict is None or verdict == "yes":
            continue
        if verdict == "accept-only":
            yield (f"VPC {vpc.name}'s flow logs record only ACCEPT traffic; set trafficType to ALL (or REJECT) so "
                   "what the security groups and network ACLs refuse is recorded too"), vpc.urn
        elif verdict == "untyped":
            yield (f"VPC {vpc.name}'s flow log sets no trafficType, which EC2 requires of a VPC's flow log "
                   "(CreateFlowLogs refuses it); set trafficType to ALL (or REJECT)"), vpc.urn
        else:
            yield (f"VPC {vpc.name} has no flow log; add an aws.ec2.FlowLog with vpcId set to it and trafficType "
                   "ALL, delivered to CloudWatch Logs or S3: without it nothing records who tried to reach what"
                   ), vpc.urn


def _logged(resources: list, vpc: Any) -> Optional[str]:
    """"yes" when a flow log of the VPC records rejected traffic, "accept-only" when one of its flow logs records
    only accepted traffic and none records rejected traffic, "untyped" when its only flow logs set no trafficType
    (the provider leaves it optional for transit gateways' flow logs; EC2 refuses a VPC's), "no" when it has none,
    None when an unknown might make it "yes"."""
    # A new VPC's id is made up by EC2 at creation: a literal vpc-… in the program cannot name it. An adopted
    # default VPC's id exists already, and the program may write it.
    assigned = vpc.resource_type == VPC
    open_, accept_only, untyped = False, False, False
    for log in may_refer(resources, (FLOW_LOG,), "vpcId", vpc, keys=("id",)):
        names_it = refers_to(log, "vpcId", [peek(log.props, "vpcId")], vpc, keys=("id",), assigned=assigned)
        if names_it is False:
            continue
        if names_it is None:  # whether the VPC has this log or none decides what is said of it
            open_ = True
            continue
        traffic = peek(log.props, "trafficType")
        if traffic is UNKNOWN:
            open_ = True
        elif isinstance(traffic, str) and traffic.upper() in _RECORDS_REJECTS:
            return "yes"
        elif traffic is None:
            untyped = True
        else:
            accept_only = True
    if open_ or native_companion(resources, (FLOW_LOG,), vpc, keys=("id",), assigned=assigned):
        return None
    return "accept-only" if accept_only else "untyped" if untyped else "no"
