"""Lambda guardrails against tests/programs/policy_lambda (raw pulumi_aws resources)."""
from __future__ import annotations

import datetime
import json
from typing import Optional

import pytest

from tests.test_policies_support import (
    CLEAN_VALUES,
    SECRET_VALUES,
    UNKNOWN,
    Finding,
    InsecureProgramSuite,
    Res,
    analyze,
    findings,
    not_run,
    pairs,
    program,
    program_fixtures,
)

PROGRAM = "policy_lambda"
M = "mandatory"
TRACING, CONCURRENCY, RETENTION = ("lambda-function-tracing", "lambda-function-reserved-concurrency",
                                   "lambda-function-log-retention")
URL = "lambda-function-url-auth"
SECRETS = "lambda-function-no-secret-env"
INVOKE = "lambda-permission-no-public-invoke"
SOURCE = "lambda-permission-service-source"
RUNTIME = "lambda-function-supported-runtime"
ZONES = "lambda-function-multiple-azs"
LAYER = "lambda-layer-permission-not-public"
# batch-fn runs on the unreserved pool on purpose and its URL is public on purpose (a webhook that checks its own
# signature); the exceptions are named, not a lowered level.
CONFIG = {"all": "mandatory", CONCURRENCY: {"exemptFunctions": ["batch-fn"]}, URL: {"exemptFunctions": ["batch-fn"]},
          RETENTION: {"sharedLogGroups": ["/shop/shared-*"]}, LAYER: {"exemptLayers": ["open-source-*"]}}

FAILING = [
    Finding(SECRETS, "bare-fn", M, "environment.variables passes DB_PASSWORD as a plain variable"),
    Finding(SECRETS, "bare-fn", M, "environment.variables passes PAYMENTS_API_KEY as a plain variable"),
    Finding(TRACING, "bare-fn", M, "tracingConfig.mode is unset; set Active"),
    Finding(TRACING, "zero-fn", M, "tracingConfig.mode is PassThrough; set Active"),
    Finding(CONCURRENCY, "bare-fn", M,
            "reservedConcurrentExecutions is not set; reserve a cap or name the function in exemptFunctions"),
    Finding(CONCURRENCY, "zero-fn", M, "reservedConcurrentExecutions is 0, which stops every invocation"),
    # Named by an output: judged once the name is known (a first preview holds the cap's finding back).
    Finding(TRACING, "later-named-bare-fn", M, "tracingConfig.mode is unset; set Active"),
    Finding(CONCURRENCY, "later-named-bare-fn", M,
            "reservedConcurrentExecutions is not set; reserve a cap or name the function in exemptFunctions"),
    Finding(RETENTION, "bare-fn", M,
            # The default provider's region, as the engine gives the analyzers.
            "no log group /aws/lambda/bare-fn in us-east-1 in the stack; Lambda would create it with logs kept "
            "forever"),
    Finding(RETENTION, "zero-fn", M, "log group /aws/lambda/zero-fn has no retentionInDays"),
    Finding(URL, "bare-url", M, "authorizationType is NONE: the URL answers unauthenticated calls from anywhere"),
    Finding(URL, "bare-url-public", M,
            "grants lambda:InvokeFunctionUrl to principal * for function URLs without IAM: anyone can call"),
    Finding(URL, "bare-url-invoke", M, "grants lambda:InvokeFunction to principal * for function URLs without IAM"),
    Finding(INVOKE, "bare-invoke-public", M, "grants lambda:InvokeFunction to principal * with no sourceAccount, "
                                              "principalOrgId or sourceArn of one account: any AWS account can"),
    # ResourcePolicy documents: everyone as {"AWS": "*"} and as a NotPrincipal, S3 or everyone from a bucket (whose
    # ARN names no account), any account's signed calls to an AWS_IAM URL, and the two grants of a public URL.
    Finding(INVOKE, "bare-policy-invoke", M, "policy statement Grant grants lambda:InvokeFunction to Principal * with "
                                              "no aws:SourceAccount, aws:PrincipalOrgID or aws:SourceArn of one "
                                              "account: any AWS account can invoke the function"),
    Finding(INVOKE, "later-policy-invoke", M, "policy statement Grant grants lambda:InvokeFunction to Principal *"),
    Finding(INVOKE, "bare-policy-read", M, "policy statement Read grants lambda:GetFunction to NotPrincipal (everyone "
                                            "but those it lists) with no aws:SourceAccount"),
    Finding(INVOKE, "bare-policy-s3", M, "policy statement Grant grants lambda:InvokeFunction to s3.amazonaws.com "
                                          "with no aws:SourceAccount or aws:PrincipalOrgID: a bucket's ARN names no "
                                          "account"),
    Finding(INVOKE, "bare-policy-bucket", M, "policy statement Grant grants lambda:InvokeFunction to Principal * with "
                                              "no aws:SourceAccount"),
    Finding(INVOKE, "bare-policy-iam-url", M, "policy statement Grant grants lambda:InvokeFunctionUrl to Principal * "
                                               "with no aws:SourceAccount"),
    Finding(INVOKE, "bare-policy-any-case-iam-url", M, "policy statement Grant grants lambda:InvokeFunctionUrl to "
                                                        "Principal * with no aws:SourceAccount"),
    Finding(URL, "bare-policy-url", M, "policy statement Url grants lambda:InvokeFunctionUrl to Principal * for "
                                       "function URLs without IAM: anyone can call the function's URL"),
    Finding(URL, "bare-policy-url", M, "policy statement Via grants lambda:InvokeFunction to Principal * for "
                                       "function URLs without IAM"),
    # An AWS service's grant with no source: any API, or any rule, in any account can invoke the function.
    Finding(SOURCE, "any-api-invoke", M, "grants lambda:InvokeFunction to apigateway.amazonaws.com with no source "
                                          "ARN or account: any resource of apigateway.amazonaws.com in any account"),
    Finding(SOURCE, "bare-policy-events", M, "policy statement Rules grants lambda:InvokeFunction to "
                                              "events.amazonaws.com with no source ARN or account"),
    # Principal * narrowed to EventBridge by its name: its grant, as Principal.Service would write it.
    Finding(SOURCE, "bare-policy-named-events", M,
            "policy statement Rules grants lambda:InvokeFunction to events.amazonaws.com with no source ARN or "
            "account: any resource of events.amazonaws.com in any account that is pointed at the function can invoke "
            "it"),
    # Any Alexa skill pointed at the function, without the skill's id.
    Finding(SOURCE, "bare-alexa-skill", M, "grants lambda:InvokeFunction to alexa-appkit.amazon.com with no "
                                            "eventSourceToken: any Alexa skill that is pointed at the function can "
                                            "invoke it; set eventSourceToken to the skill's id (amzn1.ask.skill.<id>)"),
    Finding(SOURCE, "bare-policy-alexa-home", M, "policy statement Home grants lambda:InvokeFunction to "
                                                  "alexa-connectedhome.amazon.com with no lambda:EventSourceToken "
                                                  "condition: any Alexa skill that is pointed at the function can "
                                                  "invoke it; add StringEquals lambda:EventSourceToken with the "
                                                  "skill's id"),
    Finding(ZONES, "outside-subnet-fn", M, "vpcConfig.subnetIds puts the function in fewer than 2 Availability "
                                           "Zones: Lambda runs it only in its subnets' zones"),
    Finding(ZONES, "one-zone-fn", M, "vpcConfig.subnetIds puts the function in fewer than 2 Availability Zones"),
    Finding(LAYER, "bare-layer-public", M, "principal is * with no organizationId: every AWS account may download "
                                            "this layer version and read its code"),
    Finding(RUNTIME, "old-runtime-fn", M, "runtime python3.8 was deprecated on 2024-10-14 by AWS's Lambda runtimes "
                                          "page as of 2025-11: AWS no longer patches it"),
]
PASSING = [(SECRETS, "good-fn"), (SECRETS, "zero-fn"),
           (TRACING, "good-fn"), (TRACING, "batch-fn"), (CONCURRENCY, "good-fn"), (CONCURRENCY, "batch-fn"),
           (RETENTION, "good-fn"), (RETENTION, "batch-fn"),
           # Named by an output, in order: judged before its name is known.
           (TRACING, "later-named-fn"), (CONCURRENCY, "later-named-fn"),
           # A custom log group another stack makes, named in sharedLogGroups.
           (RETENTION, "shared-logs-fn"), (TRACING, "shared-logs-fn"), (CONCURRENCY, "shared-logs-fn"),
           (URL, "good-url"), (URL, "good-url-caller"), (URL, "any-api-invoke"), (URL, "batch-url"),
           (URL, "batch-url-public"), (URL, "good-account-url"), (INVOKE, "good-account-url"),
           (INVOKE, "good-org-invoke"), (INVOKE, "any-api-invoke"), (INVOKE, "bare-url-invoke"),
           # ResourcePolicy documents: callers named by organization, by the function's own account, by one
           # account's topic, S3 by the bucket's account, named accounts; grants scoped to URL calls (url-auth's);
           # the Invoke API alone (invoke's); an AWS_IAM URL's signed calls (its auth type in any case);
           # batch-fn's public URL, exempted.
           (INVOKE, "good-policy-org"), (URL, "good-policy-org"), (INVOKE, "good-policy-own-account"),
           (URL, "good-policy-own-account"), (URL, "bare-policy-any-case-iam-url"), (INVOKE, "good-policy-topic"),
           (INVOKE, "good-policy-s3"), (INVOKE, "good-policy-url"), (URL, "good-policy-url"),
           (INVOKE, "bare-policy-url"), (URL, "bare-policy-invoke"), (URL, "bare-policy-iam-url"),
           (URL, "batch-policy-url"), (INVOKE, "batch-policy-url"),
           # One API's grant; S3's (held to its account by invoke's) and everyone's are not a service's to name.
           (SOURCE, "good-api-one-api"), (SOURCE, "good-policy-s3"), (SOURCE, "good-policy-topic"),
           (SOURCE, "bare-invoke-public"),
           # Everyone narrowed to EventBridge: not public; named by its one rule.
           (INVOKE, "bare-policy-named-events"), (INVOKE, "good-policy-named-events"),
           (SOURCE, "good-policy-named-events"),
           # An Alexa skill's grant naming the skill by its id; no one's grant is public.
           (SOURCE, "good-alexa-skill"), (SOURCE, "good-policy-alexa-home"), (INVOKE, "bare-alexa-skill"),
           (INVOKE, "bare-policy-alexa-home"),
           # A layer shared with one organization, with one account, and one published on purpose (exemptLayers).
           (LAYER, "good-layer-org"), (LAYER, "good-layer-account"), (LAYER, "batch-layer-public"),
           (RUNTIME, "good-fn"), (RUNTIME, "bare-fn"),
           # Two zones (one subnet named by its zone id); another stack's two subnets, whose zones are not known here;
           # a function outside a VPC.
           (ZONES, "two-zones-fn"), (ZONES, "outside-subnets-fn"), (ZONES, "good-fn")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_the_exemption_is_what_lets_batch_fn_pass():
    found = pairs(program(PROGRAM, {"all": "mandatory"}))
    assert {(CONCURRENCY, "batch-fn"), (URL, "batch-url"), (URL, "batch-url-public"),
            (URL, "batch-policy-url")} <= found


def test_a_resource_policy_known_only_after_the_update_is_not_a_violation(result, first_preview):
    # later-policy-invoke's document embeds the function's ARN: unknown in a first preview, a finding once known.
    assert INVOKE in not_run(first_preview, "later-policy-invoke")
    assert not [v for v in first_preview.violations if v.name == "later-policy-invoke"]
    assert (INVOKE, "later-policy-invoke") in pairs(result)


def test_a_function_named_by_an_output_is_judged_before_its_name_is_known(first_preview):
    # The name is read only for a finding, which exemptFunctions (batch-fn's) may waive: the function in order passes
    # in a first preview, and the one without a cap waits for its name.
    assert not not_run(first_preview, "later-named-fn") & {TRACING, CONCURRENCY}
    assert (CONCURRENCY, "later-named-fn") not in pairs(first_preview)
    assert CONCURRENCY in not_run(first_preview, "later-named-bare-fn")
    assert (CONCURRENCY, "later-named-bare-fn") not in pairs(first_preview)


@pytest.mark.parametrize("policy,props", [(TRACING, {"tracingConfig": {"mode": "Active"}}),
                                          (CONCURRENCY, {"reservedConcurrentExecutions": 2})])
def test_only_a_finding_asks_for_the_name_exemptfunctions_may_hold(policy, props):
    def report(fn_props: dict, resource: str = "app-fn"):
        fn = Res("aws:lambda/function:Function", resource, {"name": UNKNOWN, "runtime": "python3.13", **fn_props})
        return analyze([fn], {"all": "disabled", policy: {"enforcementLevel": M, "exemptFunctions": ["batch-fn"]}})
    complies, falls_short = report(props), report({})
    assert findings(complies) == set() and complies.not_run == []
    # A name unknown until the update may be the exempt one: no finding, and the check waits for it.
    assert findings(falls_short) == set() and {v.policy for v in falls_short.not_run} == {policy}
    # Exempted by the resource's name, the unknown function name is never read.
    exempted = report({}, "batch-fn")
    assert findings(exempted) == set() and exempted.not_run == []


@pytest.mark.parametrize("today,flagged", [(datetime.date(2025, 8, 31), False), (datetime.date(2025, 9, 1), True)])
def test_a_runtime_is_deprecated_from_the_date_its_table_gives(today, flagged, monkeypatch):
    # nodejs18.x is deprecated on 2025-09-01: flagged that day, not the day before. The pack's modules are the
    # `guardrails` package (policies/ on sys.path), the very objects the analyzer runs.
    monkeypatch.setattr("guardrails.lambda_.function._today", lambda: today)
    fn = Res("aws:lambda/function:Function", "node-fn", {"name": "node-fn", "runtime": "nodejs18.x"})
    found = findings(analyze([fn], {"all": "disabled", RUNTIME: "mandatory"}))
    assert {p for p, _, _ in found} == ({RUNTIME} if flagged else set())
    assert all(m.startswith("runtime nodejs18.x was deprecated on 2025-09-01") for _, _, m in found)


# --- secrets told by their values ------------------------------------------------------------------------------


def _variable_findings(variables, knobs: Optional[dict] = None) -> set[str]:
    """The secret policy's messages on one function with `environment.variables`."""
    fn = Res("aws:lambda/function:Function", "app-fn", {"name": "app-fn", "environment": {"variables": variables}})
    config = {"all": "disabled", SECRETS: {"enforcementLevel": "mandatory", **(knobs or {})}}
    return {message for _, _, message in findings(analyze([fn], config))}


def _by_value(name: str, kind: str) -> str:
    return (f"environment.variables passes {name} as a plain variable whose value holds {kind}; "
            f"keep the secret in Secrets Manager or SSM and pass its ARN ({name}_ARN, say)")


def test_a_secret_under_an_innocuous_name_is_told_by_its_value_which_is_never_echoed():
    for name, (value, kind) in SECRET_VALUES.items():
        found = _variable_findings({name: value, "LOG_LEVEL": "info"})
        assert found == {_by_value(name, kind)}, name
        assert not [m for m in found if value in m or "hunter2" in m or "ghp_" in m or "BEGIN" in m]


def test_urls_without_a_password_placeholders_and_paths_are_not_secrets():
    assert _variable_findings(CLEAN_VALUES) == set()
    found = _variable_findings({**CLEAN_VALUES, "ORDERS_DB_URL": SECRET_VALUES["DATABASE_URL"][0]})
    assert found == {_by_value("ORDERS_DB_URL", "Basic Auth Credentials (detect-secrets)")}


def test_a_variable_both_rules_flag_is_one_finding_and_allowed_keys_exempt_values_too():
    url, _ = SECRET_VALUES["DATABASE_URL"]
    token, kind = SECRET_VALUES["BUILD_INFO"]
    assert _variable_findings({"DB_PASSWORD": url, "BUILD_INFO": token}) == {
        "environment.variables passes DB_PASSWORD as a plain variable; keep the secret in Secrets Manager or SSM "
        "and pass its ARN (DB_PASSWORD_ARN, say)",
        _by_value("BUILD_INFO", kind)}
    assert _variable_findings({"DATABASE_URL": url, "BUILD_INFO": token}, {"allowedKeys": ["databaseUrl"]}) == {
        _by_value("BUILD_INFO", kind)}
    assert _variable_findings({"DATABASE_URL": url}, {"allowedKeys": ["DATABASE_URL"]}) == set()


def test_a_value_unknown_until_the_update_is_skipped_and_the_others_still_judged():
    value, kind = SECRET_VALUES["TLS_KEY"]
    assert _variable_findings({"TLS_KEY": value, "DATABASE_URL": UNKNOWN, "API_TOKEN": UNKNOWN}) == {
        _by_value("TLS_KEY", kind),
        "environment.variables passes API_TOKEN as a plain variable; keep the secret in Secrets Manager or SSM and "
        "pass its ARN (API_TOKEN_ARN, say)"}
    assert _variable_findings({"TLS_KEY": UNKNOWN}) == set()
    assert _variable_findings(UNKNOWN) == set()


# --- the zones of a VPC function's subnets -----------------------------------------------------------------------

SUBNET = "aws:ec2/subnet:Subnet"


def _zone_findings(subnet_ids, *subnets: dict, config: Optional[dict] = None, made_from: tuple[str, ...] = (),
                   others: tuple[Res, ...] = ()) -> set[str]:
    """The multi-AZ policy's messages on one function in `subnet_ids`, beside the stack's `subnets` (props, each with
    the `id` the engine gives a created subnet, `subnet-<i>`) and `others`; `vpcConfig` is made from the outputs of
    the resources `made_from` names."""
    stack = [Res(SUBNET, f"subnet-{i}", {"vpcId": "vpc-1", **props}) for i, props in enumerate(subnets)]
    fn = Res("aws:lambda/function:Function", "vpc-fn",
             {"name": "vpc-fn", "vpcConfig": {"subnetIds": subnet_ids, "securityGroupIds": ["sg-1"]}},
             {"vpcConfig": list(made_from)} if made_from else {})
    levels = {"all": "disabled", ZONES: {"enforcementLevel": "mandatory", **(config or {})}}
    return {message for _, _, message in findings(analyze([*stack, *others, fn], levels))}


ONE_ZONE = ("vpcConfig.subnetIds puts the function in fewer than 2 Availability Zones: Lambda runs it only in its "
            "subnets' zones, so an outage of that zone stops it; add a subnet in another zone")


def test_two_subnets_of_one_zone_are_one_zone_once_the_subnets_ids_are_known():
    """The stack's subnets are matched by the id the engine gives them (a first preview has none yet: then each
    subnet may be a zone of its own, unless the list is made from the stack's subnets alone)."""
    a1 = {"id": "subnet-a1", "availabilityZone": "us-east-1a"}
    a2 = {"id": "subnet-a2", "availabilityZone": "us-east-1a"}
    b = {"id": "subnet-b", "availabilityZoneId": "use1-az2"}
    one_zone = ONE_ZONE
    assert _zone_findings(["subnet-a1", "subnet-a2"], a1, a2, b) == {one_zone}
    assert _zone_findings(["subnet-a1", "subnet-b"], a1, a2, b) == set()
    # The same subnet twice is one zone; a zone named by name and one by id may be the same, and are not judged.
    assert _zone_findings(["subnet-a1", "subnet-a1"], a1) == {one_zone}
    assert _zone_findings(["subnet-a1", "subnet-x"], a1, {"id": "subnet-x", "availabilityZoneId": "use1-az1"}) == set()
    # An id not known yet, a zone AWS picks (not set) or not known yet, a subnet of another stack: any zone.
    for unknown in ({"id": UNKNOWN, "availabilityZone": "us-east-1a"}, {"id": "subnet-x"},
                    {"id": "subnet-x", "availabilityZone": UNKNOWN}):
        assert _zone_findings(["subnet-a1", "subnet-x"], a1, unknown) == set(), unknown
    assert _zone_findings(["subnet-a1", UNKNOWN], a1) == set()
    assert _zone_findings(["subnet-a1", "subnet-0outside"], a1) == set()
    # The knob raises the bar; an unknown list and a function outside a VPC are not judged.
    three = _zone_findings(["subnet-a1", "subnet-b"], a1, b, config={"minAvailabilityZones": 3})
    assert three == {one_zone.replace("fewer than 2", "fewer than 3")}
    assert _zone_findings(UNKNOWN, a1) == set() and _zone_findings([], a1) == set()


def test_subnets_not_known_yet_are_the_ones_the_list_is_made_from():
    """A first preview: the ids are unknown, and the list's property dependencies say which of the stack's subnets
    (and security groups) it was made from; anything else, or nothing, may be any subnet in any zone."""
    a1, a2 = ({"id": UNKNOWN, "availabilityZone": "us-east-1a"} for _ in range(2))
    b = {"id": UNKNOWN, "availabilityZoneId": "use1-az2"}
    both = ("subnet-0", "subnet-1")
    assert _zone_findings([UNKNOWN, UNKNOWN], a1, a2, made_from=both) == {ONE_ZONE}
    assert _zone_findings([UNKNOWN, UNKNOWN], a1, b, made_from=both) == set()
    # The stack's other subnets are not in the list; a group's id beside the subnets' is no subnet.
    group = Res("aws:ec2/securityGroup:SecurityGroup", "group", {"vpcId": "vpc-1", "id": UNKNOWN})
    assert _zone_findings([UNKNOWN, UNKNOWN], a1, a2, b, made_from=(*both, "group"), others=(group,)) == {ONE_ZONE}
    # An id known beside one not known yet: the known one's subnet is in the list.
    known_a = {"id": "subnet-a1", "availabilityZone": "us-east-1a"}
    assert _zone_findings(["subnet-a1", UNKNOWN], known_a, a2, made_from=both) == {ONE_ZONE}
    assert _zone_findings(["subnet-a1", UNKNOWN], known_a, b, made_from=both) == set()
    # A zone not known yet, an output of another resource (a network interface's subnetId) and no dependency at all
    # (another stack's output) may be any zone.
    assert _zone_findings([UNKNOWN, UNKNOWN], a1, {"id": UNKNOWN, "availabilityZone": UNKNOWN}, made_from=both) == set()
    eni = Res("aws:ec2/networkInterface:NetworkInterface", "eni", {"subnetId": UNKNOWN})
    assert _zone_findings([UNKNOWN, UNKNOWN], a1, a2, made_from=(*both, "eni"), others=(eni,)) == set()
    assert _zone_findings([UNKNOWN, UNKNOWN], a1, a2) == set()


@pytest.mark.parametrize("props,found", [
    ({"principal": "logs.amazonaws.com", "action": "lambda:*"}, True),
    ({"principal": "sns.amazonaws.com.cn", "action": "lambda:InvokeFunction"}, True),
    # Named: by the one resource, its account or organization, or by a value unknown until the update.
    ({"principal": "sns.amazonaws.com", "action": "lambda:InvokeFunction",
      "sourceArn": "arn:aws:sns:us-east-1:123456789012:orders"}, False),
    ({"principal": "secretsmanager.amazonaws.com", "action": "lambda:InvokeFunction",
      "sourceAccount": "123456789012"}, False),
    ({"principal": "events.amazonaws.com", "action": "lambda:InvokeFunction", "sourceArn": UNKNOWN}, False),
    # Alexa has no source ARN: the skill's id as eventSourceToken (the token its calls carry) names the one skill; an
    # empty one names none, and one unknown until the update may be the skill's. A service that sends no token (any
    # but Alexa) cannot meet it at all.
    ({"principal": "alexa-appkit.amazon.com", "action": "lambda:InvokeFunction"}, True),
    ({"principal": "alexa-appkit.amazon.com", "action": "lambda:InvokeFunction",
      "eventSourceToken": "amzn1.ask.skill.1234"}, False),
    ({"principal": "alexa-appkit.amazon.com", "action": "lambda:InvokeFunction", "eventSourceToken": ""}, True),
    ({"principal": "alexa-appkit.amazon.com", "action": "lambda:InvokeFunction", "eventSourceToken": UNKNOWN},
     False),
    ({"principal": "alexa-connectedhome.amazon.com", "action": "lambda:InvokeFunction"}, True),
    ({"principal": "alexa-connectedhome.amazon.com", "action": "lambda:InvokeFunction",
      "eventSourceToken": "amzn1.ask.skill.1234"}, False),
    ({"principal": "events.amazonaws.com", "action": "lambda:InvokeFunction",
      "eventSourceToken": "amzn1.ask.skill.1234"}, False),
    # Not an invocation, not a service, or S3 (no-public-invoke's), or an action unknown until the update.
    ({"principal": "elasticloadbalancing.amazonaws.com", "action": "lambda:GetFunction"}, False),
    ({"principal": "123456789012", "action": "lambda:InvokeFunction"}, False),
    ({"principal": "s3.amazonaws.com", "action": "lambda:InvokeFunction"}, False),
    ({"principal": "events.amazonaws.com", "action": UNKNOWN}, False),
])
def test_a_services_grant_names_the_resource_it_acts_for(props, found):
    permission = Res("aws:lambda/permission:Permission", "grant", {"function": "orders-fn", **props})
    report = analyze([permission], {"all": "disabled", SOURCE: "mandatory"})
    assert bool(findings(report)) is found
    assert report.not_run == []


@pytest.mark.parametrize("statement,found", [
    # A Condition that names no caller (the caller's network) leaves any rule of any account in.
    ({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}, True),
    ({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction",
      "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/nightly"}}}, False),
    # The token an Alexa skill's calls carry, fixed, names the one skill; a pattern, or a token kept out, names none.
    ({"Effect": "Allow", "Principal": {"Service": "alexa-appkit.amazon.com"}, "Action": "lambda:InvokeFunction",
      "Condition": {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}}}, False),
    ({"Effect": "Allow", "Principal": {"Service": "alexa-appkit.amazon.com"}, "Action": "lambda:InvokeFunction",
      "Condition": {"StringLike": {"lambda:EventSourceToken": "amzn1.ask.skill.*"}}}, True),
    ({"Effect": "Allow", "Principal": {"Service": "alexa-appkit.amazon.com"}, "Action": "lambda:InvokeFunction",
      "Condition": {"StringNotEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}}}, True),
    ({"Effect": "Allow", "Principal": {"Service": "alexa-appkit.amazon.com"}, "Action": "lambda:InvokeFunction"},
     True),
    # A Deny names no one it lets in; S3's grant is lambda-permission-no-public-invoke's.
    ({"Effect": "Deny", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction"}, False),
    ({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction"}, False),
])
def test_a_resource_policy_statement_for_a_service_names_its_source(statement, found):
    policy = Res("aws:lambda/resourcePolicy:ResourcePolicy", "policy", {
        "resourceArn": "arn:aws:lambda:us-east-1:123456789012:function:orders-fn",
        "policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})})
    assert bool(findings(analyze([policy], {"all": "disabled", SOURCE: "mandatory"}))) is found


def _policy(*statements: dict) -> Res:
    return Res("aws:lambda/resourcePolicy:ResourcePolicy", "policy", {
        "resourceArn": "arn:aws:lambda:us-east-1:123456789012:function:orders-fn",
        "policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})})


def test_one_statement_for_s3_and_another_service_is_each_policys_for_its_own_principal():
    # S3 is held to its account by no-public-invoke, the rest of the statement's services by service-source.
    statement = {"Sid": "Both", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                 "Principal": {"Service": ["s3.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com"]}}
    found = findings(analyze([_policy(statement)], {"all": "disabled", SOURCE: M, INVOKE: M}))
    assert {(policy, message.split(" with ")[0]) for policy, _, message in found} == {
        (INVOKE, "policy statement Both grants lambda:InvokeFunction to s3.amazonaws.com"),
        (SOURCE, "policy statement Both grants lambda:InvokeFunction to events.amazonaws.com, sns.amazonaws.com")}
    # Named by its one rule, the services' grant passes; S3's still needs an account (a bucket's ARN has none).
    named = {**statement, "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-uploads"}}}
    assert {policy for policy, _, _ in findings(analyze([_policy(named)], {"all": "disabled", SOURCE: M,
                                                                            INVOKE: M}))} == {INVOKE}


@pytest.mark.parametrize("condition, expected", [
    # Every AWS service, S3 among them: S3's grant needs its account (no-public-invoke), the others' their source.
    ({"Bool": {"aws:PrincipalIsAWSService": "true"}}, {
        (INVOKE, "policy statement Any grants lambda:InvokeFunction to s3.amazonaws.com with no aws:SourceAccount"),
        (SOURCE, "policy statement Any grants lambda:InvokeFunction to any AWS service with no source ARN or account: "
                 "any resource of any AWS service in any account")}),
    ({"Bool": {"aws:PrincipalIsAWSService": "true"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}, set()),
    # S3 by its name: its grant, held to an account.
    ({"StringEquals": {"aws:PrincipalServiceName": "s3.amazonaws.com"}}, {
        (INVOKE, "policy statement Any grants lambda:InvokeFunction to s3.amazonaws.com with no aws:SourceAccount")}),
    # Which service waits for the update, and with it the text.
    ({"StringEquals": {"aws:PrincipalServiceName": UNKNOWN}}, set()),
    # Every user's or role's request meets BoolIfExists: everyone's grant.
    ({"BoolIfExists": {"aws:PrincipalIsAWSService": "true"}}, {
        (INVOKE, "policy statement Any grants lambda:InvokeFunction to Principal * with no aws:SourceAccount")}),
])
def test_everyone_narrowed_to_aws_services_is_their_grant(condition, expected):
    """As Principal {"Service": ...} names them (DynamoDB's block public access counts a fixed
    aws:PrincipalServiceName, and aws:PrincipalIsAWSService true, as not public: AWS's rule for DynamoDB, which the
    pack extends to Lambda's resource policies)."""
    statement = {"Sid": "Any", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                 "Condition": condition}
    policy = Res("aws:lambda/resourcePolicy:ResourcePolicy", "policy", {
        "resourceArn": "arn:aws:lambda:us-east-1:123456789012:function:orders-fn",
        "policy": {"Version": "2012-10-17", "Statement": [statement]}})
    found = [(name, message) for name, _, message in findings(analyze([policy], {"all": "disabled", SOURCE: M,
                                                                                  INVOKE: M}))]
    assert len(found) == len(expected)
    assert all(any(name == policy and message.startswith(text) for name, message in found)
               for policy, text in expected)


def test_an_event_source_token_names_no_caller_of_everyones_grant():
    # Only a service's grant is pinned by the token: Principal * with it is still open to every account.
    permission = Res("aws:lambda/permission:Permission", "grant", {
        "function": "orders-fn", "principal": "*", "action": "lambda:InvokeFunction",
        "eventSourceToken": "amzn1.ask.skill.1234"})
    statement = {"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                 "Condition": {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}}}
    only = {"all": "disabled", SOURCE: M, INVOKE: M}
    assert {policy for policy, _, _ in findings(analyze([permission], only))} == {INVOKE}
    assert {policy for policy, _, _ in findings(analyze([_policy(statement)], only))} == {INVOKE}


def test_an_event_source_token_unknown_until_the_update_waits_in_a_document():
    # A document sent as a map (a value in it may be unknown): the token may be the skill's id.
    statement = {"Effect": "Allow", "Principal": {"Service": "alexa-appkit.amazon.com"},
                 "Action": "lambda:InvokeFunction", "Condition": {"StringEquals": {"lambda:EventSourceToken": UNKNOWN}}}
    policy = Res("aws:lambda/resourcePolicy:ResourcePolicy", "policy", {
        "resourceArn": "arn:aws:lambda:us-east-1:123456789012:function:orders-fn",
        "policy": {"Version": "2012-10-17", "Statement": [statement]}})
    report = analyze([policy], {"all": "disabled", SOURCE: M})
    assert findings(report) == set()
    assert report.not_run == []
    # Known to be no skill's (empty), it names no one.
    statement["Condition"] = {"StringEquals": {"lambda:EventSourceToken": ""}}
    assert {found for found, _, _ in findings(analyze([policy], {"all": "disabled", SOURCE: M}))} == {SOURCE}


@pytest.mark.parametrize("principal,condition,alexa", [
    # Alexa's two principals alone: their calls carry a skill's id, not a source; with any other service, a source.
    ({"Service": ["alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"]}, None, True),
    ({"Service": ["alexa-appkit.amazon.com", "events.amazonaws.com"]}, None, False),
    # Every AWS service, Alexa's among them.
    ("*", {"Bool": {"aws:PrincipalIsAWSService": "true"}}, False),
])
def test_a_services_grant_is_alexas_when_each_of_its_principals_is(principal, condition, alexa):
    statement = {"Sid": "Skills", "Effect": "Allow", "Principal": principal, "Action": "lambda:InvokeFunction",
                 **({"Condition": condition} if condition else {})}
    (_, _, message), = findings(analyze([_policy(statement)], {"all": "disabled", SOURCE: M}))
    assert ("any Alexa skill that is pointed at the function" in message) is alexa, message


def test_a_services_grant_of_every_action_but_one_is_worded_as_such():
    statement = {"Sid": "Rules", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                 "NotAction": "lambda:GetFunction"}
    (_, _, message), = findings(analyze([_policy(statement)], {"all": "disabled", SOURCE: M}))
    assert message.startswith("policy statement Rules grants every action but lambda:GetFunction to "
                              "events.amazonaws.com with no source ARN or account")


@pytest.mark.parametrize("props", [
    {"principal": UNKNOWN, "action": "lambda:InvokeFunction"},
    {"principal": "events.amazonaws.com", "action": UNKNOWN, "functionUrlAuthType": UNKNOWN,
     "invokedViaFunctionUrl": UNKNOWN},
])
def test_what_is_unknown_until_the_update_adds_no_finding_to_any_permission_policy(props):
    permission = Res("aws:lambda/permission:Permission", "grant", {"function": "orders-fn", **props})
    report = analyze([permission], {"all": "disabled", SOURCE: M, INVOKE: M, URL: M})
    assert findings(report) == set()
    # A service's grant is never public: its unknown action stops no policy; an unknown principal stops all three.
    assert {v.policy for v in report.not_run} == (set() if props["principal"] is not UNKNOWN else {SOURCE, INVOKE, URL})


def test_a_shared_log_group_another_stack_makes_is_named_in_the_config():
    # Lambda creates a missing custom group with logs kept forever, as it does the default one (the Lambda guide,
    # "Configuring CloudWatch log groups"): only the knob says another stack makes it.
    shared = Res("aws:lambda/function:Function", "shared-fn", {
        "name": "shared-fn", "loggingConfig": {"logFormat": "JSON", "logGroup": "/platform/lambda"}})
    plain = Res("aws:lambda/function:Function", "plain-fn", {"name": "plain-fn"})
    only = {"all": "disabled", RETENTION: M}
    assert {name for _, name, _ in findings(analyze([shared, plain], only))} == {"shared-fn", "plain-fn"}
    knob = {**only, RETENTION: {"enforcementLevel": M, "sharedLogGroups": ["/platform/*", "/aws/lambda/*"]}}
    # The default group is the stack's own to make, whatever the knob says.
    assert {name for _, name, _ in findings(analyze([shared, plain], knob))} == {"plain-fn"}


@pytest.mark.parametrize("grant, exempt, reported", [
    ({"principal": "*"}, [], True), ({"principal": "*", "organizationId": ""}, [], True),
    ({"principal": "*", "organizationId": "o-a1b2c3d4e5"}, [], False), ({"principal": "123456789012"}, [], False),
    ({"principal": UNKNOWN}, [], False), ({"principal": "*", "organizationId": UNKNOWN}, [], False),
    # By the last part of the layer's ARN; a name unknown until the update may be the exempt one.
    ({"principal": "*", "layerName": "arn:aws:lambda:us-east-1:123456789012:layer:tools-x"}, ["tools-*"], False),
    ({"principal": "*", "layerName": "arn:aws:lambda:us-east-1:123456789012:layer:tools-x:3"}, ["tools-*"], False),
    ({"principal": "*", "layerName": "arn:aws:lambda:us-east-1:123456789012:layer:shared:3"}, ["tools-*"], True),
    ({"principal": "*", "layerName": UNKNOWN}, ["tools-*"], False),
    ({"principal": "*", "layerName": UNKNOWN}, [], True)])
def test_a_layer_version_shared_with_every_account_is_public(grant, exempt, reported):
    permission = Res("aws:lambda/layerVersionPermission:LayerVersionPermission", "share", {
        "layerName": "shared", "versionNumber": 3, "statementId": "share", "action": "lambda:GetLayerVersion",
        **grant})
    report = analyze([permission], {"all": "disabled", LAYER: {"enforcementLevel": M, "exemptLayers": exempt}})
    assert bool(findings(report)) == reported


@pytest.mark.parametrize("odd", [{"name": "/shop/orders"}, ["/shop/orders"], 7])
def test_a_log_group_or_function_name_of_another_shape_is_not_judged(odd):
    """A function's name or loggingConfig.logGroup, or an aws-native group's logGroupName, that is not text names no
    log group (Lambda takes strings): not judged, and no longer a TypeError that left the whole stack unjudged. The
    function beside them is still judged."""
    function, native = "aws:lambda/function:Function", "aws-native:logs:LogGroup"
    resources = [Res(function, "odd-group", {"name": "orders", "loggingConfig": {"logGroup": odd}}),
                 Res(function, "odd-name", {"name": odd}),
                 Res(native, "native", {"logGroupName": odd}),
                 Res(function, "plain", {"name": "plain"})]
    found = findings(analyze(resources, {"all": "disabled", RETENTION: "mandatory"}))
    assert {(name, message.split(";")[0]) for _, name, message in found} == {
        ("plain", "no log group /aws/lambda/plain in the stack")}
