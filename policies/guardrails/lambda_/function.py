"""Lambda functions: no secrets in plain variables, X-Ray tracing, reserved concurrency (or a named exception), log
retention, a runtime AWS still patches, and a function in a VPC in more than one Availability Zone."""
from __future__ import annotations

import datetime
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core import zones
from ..core.props import UNKNOWN, cannot_judge, dig, is_set, named_by, num, number, peek, peek_entries
from ..core.registry import ADVISORY, config_list, resource_policy, stack_policy, string_list
from ..core.secret_names import SECRET_NAME_KNOBS, names_a_reference, plainly, secret_variables
from ..core.stack import elsewhere, of_type, prop, region_of
from ..ec2 import DEFAULT_SUBNET, SUBNET, subnet_zones_at_most
from . import FUNCTION, LOG_GROUP, NATIVE_LOG_GROUP

EXEMPT_FUNCTIONS = {"exemptFunctions": string_list(
    "Function names (or resource names) this rule does not apply to; say why next to the config.")}


def function_name(value: Any) -> Any:
    """The function's name in a name, ARN or partial ARN (`123456789012:function:orders`), without a version or
    alias qualifier (`orders:live`)."""
    if not isinstance(value, str):
        return value
    parts = value.split(":")
    if value.startswith("arn:") and len(parts) > 6:
        return parts[6]
    if len(parts) > 2 and parts[1] == "function":
        return parts[2]
    return parts[0]


def exempt(args, key: str) -> bool:
    """Whether `exemptFunctions` names this resource or the function its `key` prop names (a name or an ARN). Asked
    only for a finding, so a function that complies is judged while its name is unknown (an auto-named one, or one
    named by an output, in a first preview); the prop is read only when the config names some function, and an
    unknown one then stops the check until the update: it may name an exempt function."""
    names = set(config_list(args, "exemptFunctions"))
    if not names or getattr(args, "name", None) in names:
        return bool(names)
    named = peek(args.props, key)
    if named is UNKNOWN:
        cannot_judge(key)
    return function_name(named) in names


@resource_policy(
    "lambda-function-no-secret-env", FUNCTION,
    description="Lambda functions must not hold secrets in plain environment variables; read them from Secrets "
                "Manager or SSM at run time.",
    severity=Severity.HIGH,
    anchors=("CKV_AWS_45",),
    anchor_note="the names and values ecs-taskdef-no-secret-env (Security Hub ECS.8) looks for, in a function's "
                "variables",
    config=SECRET_NAME_KNOBS,
)
def no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    """no `environment.variables` name looks like a secret (knobs `secretKeyPatterns`, `allowedKeys`), nor does a
    value hold a secret detect-secrets knows by its shape, as for ECS containers; the value
    is never echoed. lambda:GetFunctionConfiguration returns the variables to anyone allowed to read the function's
    configuration"""
    for key, kind in secret_variables(args, peek_entries(args.props, "environment", "variables")):
        example = "" if names_a_reference(key) else f" ({key}_ARN, say)"
        yield (f"environment.variables passes {plainly(key, kind, 'variable')}; keep the secret in Secrets Manager "
               f"or SSM and pass its ARN{example}")


@resource_policy(
    "lambda-function-tracing", FUNCTION,
    description="Lambda functions must enable X-Ray active tracing.",
    severity=Severity.LOW,
    anchors=("Security Hub Lambda.7", "CKV_AWS_50"),
    config=EXEMPT_FUNCTIONS,
)
def tracing(args: ResourceValidationArgs) -> Iterator[str]:
    """`tracingConfig.mode` is `Active` (knob `exemptFunctions`)"""
    mode = dig(args.props, "tracingConfig", "mode")
    if mode == "Active":
        return
    if exempt(args, "name"):
        args.not_applicable("exempted by the policy config")
    yield f"tracingConfig.mode is {mode or 'unset'}; set Active"


@resource_policy(
    "lambda-function-reserved-concurrency", FUNCTION,
    description="Lambda functions must reserve their concurrency, so one function cannot starve the account's "
                "others (or name the exception in the policy config).",
    severity=Severity.MEDIUM,
    anchors=("CKV_AWS_115",),
    config=EXEMPT_FUNCTIONS,
)
def reserved_concurrency(args: ResourceValidationArgs) -> Iterator[str]:
    """`reservedConcurrentExecutions` is set and at least 1 (knob `exemptFunctions`)"""
    key = "reservedConcurrentExecutions"
    given = dig(args.props, key) if is_set(args.props, key) else None
    reserved = number(given)  # a config string ("0") is judged as its number
    if given is None or reserved == -1:
        finding = "reservedConcurrentExecutions is not set; reserve a cap or name the function in exemptFunctions"
    elif reserved is None:
        finding = f"reservedConcurrentExecutions is {given!r}, not a number"
    elif reserved == 0:
        finding = "reservedConcurrentExecutions is 0, which stops every invocation"
    else:
        return
    if exempt(args, "name"):
        args.not_applicable("exempted by the policy config")
    yield finding


@stack_policy(
    "lambda-function-log-retention", FUNCTION,
    description="Lambda functions must log to a log group declared in the stack with a retention period, or to a "
                "shared group another stack makes that the policy config names.",
    severity=Severity.MEDIUM,
    anchors=(),
    anchor_note="CKV_AWS_338 and Config cw-loggroup-retention-period-check look at log groups, not at whether a "
                "function's group exists (Lambda creates it with no retention)",
    config={"sharedLogGroups": string_list(
        "Log groups (names; shell-style wildcards) another stack makes, with its retention, that functions here may "
        "name as loggingConfig.logGroup.")},
)
def log_retention(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """the function's log group (`loggingConfig.logGroup`, else `/aws/lambda/<name>`) is a LogGroup in the stack,
    in the function's region (a group of that name that may be there counts), with `retentionInDays`: Lambda creates
    a missing group, its default or a custom one, with logs kept forever (the Lambda guide, "Configuring CloudWatch
    log groups"); a custom group another stack makes (one many functions share) is named in knob `sharedLogGroups`"""
    shared = config_list(args, "sharedLogGroups")
    # The groups by name, read once per stack (read per function, a large stack was quadratic).
    by_name: dict[str, list] = {}
    some_name_unknown = False
    for group in of_type(args.resources, LOG_GROUP):
        name = peek(group.props, "name")
        if isinstance(name, str):
            by_name.setdefault(name, []).append(group)
        some_name_unknown = some_name_unknown or name is UNKNOWN
    # A group written with aws-native (logGroupName): the pack reads none of its settings, so it leaves open the
    # verdict on a function logging to it, as one with its name unknown leaves every function's.
    native = {name for group in of_type(args.resources, NATIVE_LOG_GROUP)
              if isinstance(name := peek(group.props, "logGroupName"), str) or name is UNKNOWN}
    for function in of_type(args.resources, FUNCTION):
        name = peek(function.props, "name")
        default = UNKNOWN if name is UNKNOWN else (f"/aws/lambda/{name}" if isinstance(name, str) and name else None)
        custom = peek(function.props, "loggingConfig", "logGroup")
        if custom == "":
            custom = None  # the provider sends no empty name: Lambda logs to the default group
        wanted = default if custom is None else custom
        if wanted is UNKNOWN or not isinstance(wanted, str):
            # Not known until the update (an auto-named function's name is known only then), or not text: a map or
            # list names no group (and would not hash).
            continue
        if wanted in native or UNKNOWN in native:
            continue
        matching = [g for g in by_name.get(wanted, []) if not elsewhere(g, function)]
        if not matching:
            if not some_name_unknown and not (wanted != default and named_by([wanted], shared)):
                region = region_of(function)
                where = f" in {region}" if isinstance(region, str) else ""
                yield (f"no log group {wanted}{where} in the stack; Lambda would create it with logs kept forever"
                       + ("" if wanted == default else "; declare it, or name another stack's in sharedLogGroups"),
                       function.urn)
            continue
        if not any(prop(g, "retentionInDays") or peek(g.props, "retentionInDays") is UNKNOWN for g in matching):
            yield f"log group {wanted} has no retentionInDays", function.urn


# Each Lambda-managed runtime's deprecation date, from the "Deprecation date" columns of the AWS Lambda developer
# guide's "Lambda runtimes" page (lambda-runtimes.html: supported and deprecated runtimes), as that page listed them
# in November 2025 (python3.9 moved to 2025-12-15, nodejs18.x deprecated 2025-09-01), read through
# tflint-ruleset-aws's aws_lambda_function_deprecated_runtime, which copies the table. After its date AWS applies no
# security patches to the runtime; later it blocks creating, then updating, functions on it. AWS moves a date now
# and then: check the page when adding a runtime or when a date here is near. A runtime not listed is not judged.
RUNTIME_TABLE_DATE = "2025-11"
RUNTIME_DEPRECATION = {
    "nodejs": "2016-10-31", "nodejs4.3": "2020-03-05", "nodejs4.3-edge": "2020-03-05", "nodejs6.10": "2019-08-12",
    "nodejs8.10": "2020-03-06", "nodejs10.x": "2021-07-30", "nodejs12.x": "2023-03-31", "nodejs14.x": "2023-12-04",
    "nodejs16.x": "2024-06-12", "nodejs18.x": "2025-09-01", "nodejs20.x": "2026-04-30", "nodejs22.x": "2027-04-30",
    "python2.7": "2021-07-15", "python3.6": "2022-07-18", "python3.7": "2023-12-04", "python3.8": "2024-10-14",
    "python3.9": "2025-12-15", "python3.10": "2026-06-30", "python3.11": "2026-06-30", "python3.12": "2028-10-31",
    "python3.13": "2029-06-30",
    "java8": "2024-01-08", "java8.al2": "2026-06-30", "java11": "2026-06-30", "java17": "2026-06-30",
    "java21": "2029-06-30",
    "dotnetcore1.0": "2019-07-27", "dotnetcore2.0": "2019-05-30", "dotnetcore2.1": "2022-01-05",
    "dotnetcore3.1": "2023-04-03", "dotnet5.0": "2022-05-10", "dotnet6": "2024-11-12", "dotnet7": "2024-05-14",
    "dotnet8": "2026-11-10",
    "ruby2.5": "2021-07-30", "ruby2.7": "2023-11-27", "ruby3.2": "2026-03-31", "ruby3.3": "2027-03-31",
    "go1.x": "2024-01-08", "provided": "2024-01-08", "provided.al2": "2026-06-30", "provided.al2023": "2029-06-30",
}


def _today() -> datetime.date:
    return datetime.date.today()  # a seam for the tests


@resource_policy(
    "lambda-function-supported-runtime", FUNCTION,
    description="Lambda functions must run on a runtime AWS has not deprecated: a deprecated one gets no security "
                "patches.",
    # Advisory where no config says otherwise: the dates are a copy of AWS's page, which AWS moves now and then
    # (Amazon Linux 2's runtimes were listed for 2026-06-30), and the verdict changes with the day it runs.
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Lambda.2", "Config lambda-function-settings-check"),
)
def supported_runtime(args: ResourceValidationArgs) -> Iterator[str]:
    """a .zip function's `runtime` is not one whose deprecation date on AWS's Lambda runtimes page has passed
    (`lambda_/function.py::RUNTIME_DEPRECATION`, dated); a container image (`packageType` Image) brings its own
    runtime and is not judged, nor is a runtime the table does not list"""
    package = peek(args.props, "packageType")
    if package is UNKNOWN:
        return
    if package == "Image":
        args.not_applicable("a container image function brings its own runtime")
    runtime = peek(args.props, "runtime")
    deprecated = RUNTIME_DEPRECATION.get(runtime) if isinstance(runtime, str) else None
    if deprecated is not None and datetime.date.fromisoformat(deprecated) <= _today():
        yield (f"runtime {runtime} was deprecated on {deprecated} by AWS's Lambda runtimes page as of "
               f"{RUNTIME_TABLE_DATE}: AWS no longer patches it; move the function to a supported runtime of its "
               "language (that page lists them and any date AWS has moved since)")


@stack_policy(
    "lambda-function-multiple-azs", FUNCTION,
    description="Lambda functions in a VPC must have subnets in at least two Availability Zones: Lambda runs a "
                "VPC function only in its subnets' zones, so with one zone that zone's outage stops it.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Lambda.5", "Config lambda-vpc-multi-az-check"),
    config=zones.floor_knob("lambda-vpc-multi-az-check", "availabilityZones"),
)
def multiple_azs(args: StackValidationArgs) -> Iterator[tuple[str, Optional[str]]]:
    """a function's `vpcConfig.subnetIds`, where it has any, lie in at least `minAvailabilityZones` (2) zones: each
    names a `Subnet` of the stack by the id the engine gives it, whose `availabilityZone` (else `availabilityZoneId`)
    is its zone; ids not known yet are in the zones of the stack subnets the list is made from (its property
    dependencies, where all are subnets or security groups), else, as a subnet from outside the stack and a subnet
    whose zone is not set or not known, may be in any zone and count as one more; an unknown list is not judged"""
    subnets = of_type(args.resources, SUBNET, DEFAULT_SUBNET)
    for function in of_type(args.resources, FUNCTION):
        if peek(function.props, "vpcConfig", "subnetIds") is UNKNOWN:
            continue
        spans = len(subnet_zones_at_most(function, ("vpcConfig", "subnetIds"), subnets))
        wanted = zones.short_of(args, spans or None)
        if wanted:
            yield (f"vpcConfig.subnetIds puts the function in fewer than {num(wanted)} Availability Zones: Lambda "
                   "runs it only in its subnets' zones, so an outage of that zone stops it; add a subnet in another "
                   "zone"), function.urn
