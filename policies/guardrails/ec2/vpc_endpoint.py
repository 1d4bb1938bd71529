"""VPC endpoints: tasks reach the AWS APIs they use without going through NAT to the internet, and only this
organization's principals use them."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, as_list, iam_like, peek, unless_unknown
from ..core.registry import ADVISORY, config_list, config_value, stack_policy, string_list
from ..core.stack import in_another_region, of_type, referring, region_of, unowned
from ..ecs import EXPRESS_SERVICE, TASK_DEFINITION
from ..ecs.endpoints import ANY_VPC, task_apis, task_vpcs
from ..iam.documents import (PRINCIPAL_KEYS, any_principal, condition_entries, flag_says, named_services,
                             names_callers, statements, values_name_callers)
from . import (VPC_ENDPOINT, VPC_ENDPOINT_POLICY, VPCS, endpoint_region, endpoint_service, endpoints_in, labels,
               other_regions, served_services, unserved_calls)


@stack_policy(
    "ec2-vpc-interface-endpoints", VPCS,
    description="Where the policy config requires it, each VPC has endpoints for the AWS APIs the stack's tasks "
                "use.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.10",), anchor_note="EC2.10 asks for the EC2 endpoint only",
    config={
        "required": {"type": "boolean", "default": False,
                     "description": "Whether this environment must reach AWS APIs through VPC endpoints."},
        "additionalServices": string_list("Endpoint services (e.g. sts, kms) required besides those derived from "
                                          "the task definitions."),
    },
)
def interface_endpoints(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """with knob `required`: every VPC in the stack has an endpoint (interface with private DNS, its own or an
    EndpointPrivateDns's, or gateway for s3/dynamodb) for each API the tasks (task definitions, Express services)
    that run in it use, in the region each call is in (as `ecs-task-vpc-endpoints` derives them, ECR Public aside; a
    task runs in the VPCs of its services' and task sets' subnets (an Express service's: its
    `networkConfigurations`' subnets, without them its region's default VPC, the stack's DefaultVpc there if any),
    or in any of its region where the stack says it may: nothing in the stack runs it, an EventBridge rule, schedule
    or pipe starts it, or a subnet or VPC is made elsewhere; a VPC a task may run in whose VPCs or containers wait
    on values not known yet is not judged: its message would name the others' calls alone) plus knob
    `additionalServices` in the VPC's region; an endpoint serves the region its `com.amazonaws.<region>.<service>`
    name carries, a provider's region the stack does not name taken to be the one named beside it, and a region
    unknown until the update leaving the VPC unjudged"""
    if not config_value(args, "required"):
        return
    additional = set(config_list(args, "additionalServices"))
    tasks = [(task, task_vpcs(task, args.resources), task_apis(task, args.resources))
             for task in of_type(args.resources, TASK_DEFINITION, EXPRESS_SERVICE)]
    for vpc in of_type(args.resources, *VPCS):
        home = region_of(vpc)
        calls = _calls_in(vpc, tasks)
        if calls is None:
            continue  # a task that may run here, or what it calls, waits for the update: so does the message
        needed = {(home, service) for service in additional}.union(*calls)
        needed = {call for call in needed if call[1] != "ecr-public"}  # no endpoint serves it; the task's policy says
        mine, maybe = endpoints_in(vpc, args.resources)
        found = served_services(mine, args.resources)
        if found is None or maybe:
            continue
        missing, unusable, unsure = unserved_calls(needed, found, home)
        if unsure:
            continue  # a call's region, or the VPC's a finding names calls against, is not known yet
        if missing:
            yield (f"VPC {vpc.name} has no endpoint for {labels(missing, home)}, which the stack's tasks use; tasks "
                   f"in it would reach those APIs through NAT and the internet{other_regions(missing, found)}"), vpc.urn
        if unusable:
            yield (f"VPC {vpc.name}: the endpoints for {labels(unusable, home)} are interface endpoints without "
                   "privateDnsEnabled, so tasks still resolve the public API names"), vpc.urn


def _calls_in(vpc: Any, tasks: list) -> Optional[list]:
    """The calls of each task (`task_apis`) that runs in the VPC (its VPCs, `task_vpcs`, name it; or it may run in any,
    and the VPC is not known to be of another region than the task's); None where one may run in it, or what one
    calls, is not known until the update."""
    mine = []
    for task, vpcs, calls in tasks:
        if vpcs is None or vpcs is UNKNOWN or (vpcs is ANY_VPC and UNKNOWN in (region_of(vpc), region_of(task))):
            return None
        if (vpcs is ANY_VPC and not in_another_region(task, vpc)) or (isinstance(vpcs, frozenset) and vpc.urn in vpcs):
            if calls is None:
                return None
            mine.append(calls)
    return mine


# Endpoint services that take an endpoint policy, each as its AWS guide documents one ("Create an endpoint policy":
# the default allows full access); among them ECS ("Creating a VPC endpoint policy for Amazon ECS"), EFS ("Creating a
# VPC endpoint policy for Amazon EFS"), Step Functions ("Amazon VPC endpoint policies for Step Functions") and Kinesis
# Data Streams ("Control access to VPC endpoints for Kinesis Data Streams"; in the Regions of `_POLICY_REGIONS` only).
# The EventBridge guide documents policies for `pipes` endpoints only, not `events`. `aws ec2
# describe-vpc-endpoint-services` answers VpcEndpointPolicySupported per region, which no model offline holds: a
# service not listed here is not judged. execute-api takes endpoint policies too (API Gateway's "Use VPC endpoint
# policies for private APIs"), but is left out: a private API's callers without a SigV4 signature (a Lambda or
# Cognito authorizer's bearer tokens) are evaluated as anonymous, so the remedy's principal conditions would shut
# them out, and AWS's own example scopes Resource `*` by `execute-api:viaDomainArn` (a private custom domain), a
# condition the rule below does not read: it would report that documented policy.
POLICY_SCOPABLE = ("batch", "dynamodb", "ec2", "ecr.api", "ecr.dkr", "ecs", "elasticfilesystem", "kinesis-streams",
                   "kms", "lambda", "logs", "monitoring", "s3", "secretsmanager", "sns", "sqs", "ssm", "states", "sts",
                   "xray")
# Services whose endpoints take a policy in some Regions only, and those Regions: Kinesis Data Streams' guide,
# "Availability of VPC endpoint policies for Kinesis Data Streams" (in us-west-2 all but zone usw2-az4). Elsewhere an
# endpoint has no policy to give, so it is not judged; nor while its region is not known.
_POLICY_REGIONS = {"kinesis-streams": frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "af-south-1", "me-south-1",
    "me-central-1", "ap-east-1", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1"})}
# Condition keys that hold the resources to fixed owners, as a Resource naming them does (AWS's data-perimeter
# endpoint policies: a task cannot write to another account's bucket through the endpoint).
RESOURCE_OWNER_KEYS = ("aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "s3:resourceaccount")
# A service's FIPS endpoint (`kms-fips`) takes the policies its standard one does.
_FIPS = re.compile(r"-fips(?=\.|$)")


def _takes_policy(service: str, endpoint: Any) -> bool:
    """Whether an endpoint of `service` (FIPS suffix dropped) takes an endpoint policy: one of POLICY_SCOPABLE, in a
    Region that gives its endpoints policies (`_POLICY_REGIONS`; the one its service name carries)."""
    regions, region = _POLICY_REGIONS.get(service), endpoint_region(endpoint)
    return service in POLICY_SCOPABLE and (regions is None or (isinstance(region, str) and region in regions))


def _any_account(pattern: object) -> Optional[str]:
    """Why a Resource pattern matches resources of accounts it does not name: "bucket" for an S3 ARN (no account
    field) with a wildcard or a policy variable in its bucket name (`arn:aws:s3:::*`, `arn:aws:s3:::prod-*/*`,
    `arn:aws:s3:::${aws:PrincipalAccount}-data`: bucket names are global, so any account can create a bucket it
    matches and take data through the endpoint; an exact bucket name is the one bucket of that name, the team's);
    "account" for `*`, an account field with a wildcard, a short pattern whose last wildcard spans the account field
    (`arn:aws:s3:*`), or another ARN without an account field whose resource starts with a wildcard; else None."""
    if not isinstance(pattern, str):
        return None
    fields = pattern.split(":", 5)
    if len(fields) < 6:
        return "account" if "*" in fields[-1] else None
    if fields[4] != "":
        return "account" if "*" in fields[4] or "?" in fields[4] else None
    if iam_like("s3", fields[2]) and any(c in fields[5].split("/", 1)[0] for c in ("*", "?", "${")):
        return "bucket"
    return "account" if fields[5][:1] in ("*", "?") else None


def _not_aws_services(key: str, values: list) -> Optional[bool]:
    """Whether an entry compares aws:PrincipalIsAWSService with false alone (`flag_says`); None when its value is
    unknown until the update."""
    return key == "aws:principalisawsservice" and len(values) == 1 and flag_says(values, "false")


def _names_principals(condition: object) -> bool:
    """Whether a Condition lets in only known principals (AWS's data-perimeter endpoint policies): named by fixed
    values of their account, organization or ARN, or AWS services acting as themselves (`named_services`: named, or
    any under `aws:PrincipalIsAWSService` true). Null, IfExists, ForAllValues and negations name no one."""
    return (condition_entries(condition) is None or names_callers(condition, PRINCIPAL_KEYS, one_resource=False)
            or named_services(condition) is not None)


@stack_policy(
    "ec2-vpc-endpoint-policy-scoped", (VPC_ENDPOINT, VPC_ENDPOINT_POLICY),
    description="VPC endpoints of services that take an endpoint policy admit only known principals, or only to "
                "known owners' resources: AWS's default lets any account's credentials through, past the network's "
                "firewalls.",
    severity=Severity.HIGH, level=ADVISORY,
    anchor_note="AWS's data-perimeter guidance for endpoint policies; no rule id",
    remediation="Give the endpoint a policy whose Allow on every resource is conditioned on aws:PrincipalAccount or "
                "aws:PrincipalOrgID (and aws:PrincipalIsAWSService for AWS services), or allows named resources (S3 "
                "buckets by their exact names: a wildcard in a bucket name matches any account's buckets) or those of "
                "aws:ResourceAccount only.",
)
def endpoint_policy_scoped(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """an endpoint of a service in POLICY_SCOPABLE (those whose AWS guides document endpoint policies, Kinesis Data
    Streams' in the Regions its guide lists; not execute-api, whose private APIs' unsigned callers are anonymous and
    whose documented policies may scope by execute-api:viaDomainArn, which this rule does not read) has a policy (its
    `policy`, or a VpcEndpointPolicy's, which replaces it; a VpcEndpointPolicy for an endpoint outside the stack is
    judged too), and none of its Allow statements for any principal (`*`) covers every resource (`*`, no Resource,
    or a pattern that matches any account's resources: a wildcard in the account field, or in an S3 ARN's bucket
    name, `arn:aws:s3:::*` or `arn:aws:s3:::prod-*/*`, since bucket names are global and any account can create one
    that matches; an exact bucket name is taken as the team's own) without a condition naming the principals by
    fixed values (their account, organization or ARN: not Null, IfExists, ForAllValues or a negation, no wildcard in
    an account or organization id), AWS services (`aws:PrincipalIsAWSService` true, or a fixed
    `aws:PrincipalServiceName`) or the resources' owner (`aws:ResourceAccount`, `aws:ResourceOrgID`,
    `aws:ResourceOrgPaths`, `s3:ResourceAccount`, by fixed values), unless a Deny of `*` on `*` for everyone keeps out
    all principals but those of fixed accounts or organizations (StringNotEqualsIfExists aws:PrincipalOrgID,
    aws:PrincipalAccount or aws:PrincipalArn, beside at most aws:PrincipalIsAWSService false: AWS's
    EnforceIdentityPerimeter); unknown documents are not judged"""
    endpoints = of_type(args.resources, VPC_ENDPOINT)
    judged = []
    for endpoint in endpoints:
        service = endpoint_service(endpoint)
        if not isinstance(service, str) or not _takes_policy(_FIPS.sub("", service), endpoint):
            continue
        found, maybe = referring(args.resources, (VPC_ENDPOINT_POLICY,), "vpcEndpointId", endpoint, keys=("id",))
        if maybe:
            continue
        judged += ([(endpoint.urn, f"the {service} endpoint", f"VpcEndpointPolicy {holder.name}",
                     peek(holder.props, "policy")) for holder in found]
                   or [(endpoint.urn, f"the {service} endpoint", None, peek(endpoint.props, "policy"))])
    judged += [(holder.urn, f"VpcEndpointPolicy {holder.name}", None, peek(holder.props, "policy"))  # another stack's
               for holder in unowned(of_type(args.resources, VPC_ENDPOINT_POLICY), endpoints, "vpcEndpointId",
                                     keys=("id",))]
    for urn, what, holder, document in judged:
        if document is UNKNOWN:
            continue
        if document is None:
            # The provider, as AWS, gives an endpoint (or a VpcEndpointPolicy) without one the full-access policy.
            yield (f"{what} has no policy{f' (in {holder})' if holder else ''}: AWS's default lets any principal use "
                   "it, another account's credentials too, so a task can send data out through it"), urn
        else:
            source = f"{what}'s policy" + (f" (in {holder})" if holder else "")
            for problem in unless_unknown(_open_statements, document, source) or ():
                yield problem, urn


# The negated operators under which a Deny keeps out every principal but those a key names: IfExists, so a request
# without the key (an anonymous one, or a principal outside any organization) is kept out too.
_KEEPS_OUT = ("stringnotequalsifexists", "stringnotequalsignorecaseifexists")


def _perimeter_deny(statement: Any) -> Optional[bool]:
    """Whether a Deny keeps every principal outside fixed accounts or organizations off every action on every
    resource (AWS's data-perimeter EnforceIdentityPerimeter): Principal everyone, Action and Resource `*`, and a
    Condition of `_KEEPS_OUT` entries on aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn with fixed
    values, beside at most aws:PrincipalIsAWSService false (Bool or BoolIfExists: AWS services acting as themselves,
    whom an Allow may let in as the pack's own reading does). Any other entry narrows the Deny. None: the Condition, or
    a value in it, is unknown until the update."""
    raw = statement.raw
    if statement.effect != "Deny" or not any_principal(raw.get("Principal")) or "NotAction" in raw:
        return False
    if "NotResource" in raw or not all("*" in as_list(raw.get(part)) for part in ("Action", "Resource")):
        return False
    entries = condition_entries(raw.get("Condition"))
    if entries is None:
        return None  # a Condition unknown until the update may be the perimeter's
    if any(UNKNOWN in values for _, _, values in entries):
        return None  # a value unknown until the update may make it the perimeter's
    named = False
    for operator, key, values in entries:
        if operator in _KEEPS_OUT and key in PRINCIPAL_KEYS:
            # Who is kept in: the values, as StringEquals would name them.
            if not values_name_callers(key, values, "stringequals", one_resource=False):
                return False
            named = True
        elif not (operator in ("bool", "boolifexists") and _not_aws_services(key, values)):
            return False
    return named


def _open_statements(document: Any, source: str) -> list[str]:
    if any(_perimeter_deny(statement) is not False for statement in statements(document, source)):
        return []  # whatever an Allow lets in, the Deny keeps all but the named principals (and AWS services) out
    problems = []
    for statement in statements(document, source):
        raw = statement.raw
        if statement.effect != "Allow" or not any_principal(raw.get("Principal")):
            continue
        resources = as_list(raw.get("Resource"))
        condition = raw.get("Condition")
        wide = {r: why for r in resources if (why := _any_account(r))}
        if (("NotResource" in raw or not resources or wide)
                and not _names_principals(condition)
                and not names_callers(condition, RESOURCE_OWNER_KEYS, one_resource=False)):
            # Buckets named by a pattern alone: any account's bucket whose name it matches, not every resource.
            buckets = [] if "NotResource" in raw else [r for r, why in wide.items() if why == "bucket"]
            which = (f" ({', '.join(buckets)}: S3 bucket names are global, so any account can create a bucket the "
                     "pattern matches)" if buckets and len(buckets) == len(wide) else "")
            problems.append(f"{statement.label} allows any principal on any account's resources{which} without a "
                            "condition naming the principals by fixed values (aws:PrincipalAccount, "
                            "aws:PrincipalOrgID; not IfExists, a negation or a wildcard) or the resources' owner "
                            "(aws:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths, s3:ResourceAccount): "
                            "another account's credentials pass")
    return problems
