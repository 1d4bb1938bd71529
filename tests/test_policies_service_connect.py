"""Service Connect, Private CA and task-role guardrails against tests/programs/policy_service_connect."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (PACKS_OWN, Finding, InsecureProgramSuite, findings, messages, pairs, program,
                                        program_fixtures, reshaped)
from tools.policyeval import evaluate

PROGRAM = "policy_service_connect"
M, A = "mandatory", "advisory"
SC = "serviceConnectConfiguration"
TRUST = "iam-ecs-tasks-trust-scoped"
TARGETS = "elb-service-connect-targets-tls13"

FAILING = [
    Finding("ecs-service-connect-namespace", "leaky-service", M,
            f"{SC} sets no namespace and the service's cluster has no serviceConnectDefaults.namespace"),
    Finding("ecs-service-connect-tls", "plaintext-service", M, f"{SC}.services[0] ('web') has no tls"),
    Finding("ecs-service-connect-tls", "leaky-service", M, f"{SC}.services[0] ('api') tls has no roleArn"),
    Finding("ecs-service-connect-tls-kms-key", "leaky-service", M,
            "tls.kmsKey alias/aws/secretsmanager is AWS-managed; use a customer-managed key"),
    Finding("ecs-service-connect-logging", "plaintext-service", M, f"{SC}.logConfiguration.logDriver is not set"),
    Finding("ecs-service-connect-access-logs", "plaintext-service", M, f"{SC}.accessLogConfiguration is not set"),
    Finding("ecs-service-connect-access-logs", "leaky-service", M,
            f"{SC}.accessLogConfiguration.includeQueryParameters is ENABLED"),
    Finding("ecs-service-connect-access-log-json", "leaky-service", A,
            f"{SC}.accessLogConfiguration.format is TEXT; use JSON"),
    Finding("ecs-service-connect-client-alias", "plaintext-service", M, f"{SC}.services[0] ('web') has no clientAlias"),
    Finding("ecs-service-connect-client-alias", "leaky-service", M, f"{SC}.services[0] ('api') clientAlias has no port"),
    # plaintext-service's 'web' sets no timeout either, but its task maps no 'web' port: HTTP or TCP, it cannot tell.
    Finding("ecs-service-connect-timeout", "leaky-service", M, "timeout.perRequestTimeoutSeconds is 120s; at most 29s"),
    Finding("ecs-service-connect-timeout", "leaky-service", M,
            "timeout.idleTimeoutSeconds is 0, which disables the timeout"),
    Finding("ecs-service-connect-timeout", "streaming-sc-service", M,
            "timeout.perRequestTimeoutSeconds is 0, which disables the timeout; only a service that streams "
            "(server-streaming gRPC, server-sent events) needs that: name it in streamingServices"),
    Finding("ecs-service-connect-port-mapping", "plaintext-service", M,
            f"{SC}.services[0] ('web'): task definition api-task has no port mapping named 'web' (named: api)"),
    Finding("ecs-service-connect-no-appmesh-proxy", "mesh-sc-service", M,
            "task definition mesh-task has an APPMESH proxyConfiguration"),
    Finding("ecs-service-connect-no-appmesh-proxy", "mesh-sc-service", M,
            "task definition mesh-task runs the App Mesh Envoy image in container 'envoy'"),
    Finding("acmpca-ca-service-connect-tag", "untagged-ca", M,
            "certificate authority untagged-ca: tag AmazonECSManaged is missing"),
    Finding("acmpca-ca-service-connect-tag", "lower-key-wrong-ca", M,
            "certificate authority lower-key-wrong-ca: tag AmazonECSManaged is 'True'"),
    Finding("acmpca-ca-short-lived", "untagged-ca", A, "usageMode is unset (GENERAL_PURPOSE); use SHORT_LIVED_CERTIFICATE"),
    Finding("iam-task-role-no-ecs-sc-secrets", "broad-task-role", M,
            "task role broad-task-role: inline policy 'app' statement ReadAll allows secretsmanager:GetSecretValue"),
    Finding("iam-task-role-no-ecs-sc-secrets", "managed-task-role", M,
            "policy arn:aws:iam::aws:policy/SecretsManagerReadWrite statement 0 allows"),
    Finding("iam-task-role-no-ecs-sc-secrets", "tls-policy-task-role", M,
            "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity statement "
            "RotateTLSCertificateSecret allows secretsmanager:GetSecretValue on "
            "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"),
    Finding("iam-task-role-no-ecs-sc-secrets", "own-account-task-role", M,
            "task role own-account-task-role: inline policy 'app' statement OwnAccount allows "
            "secretsmanager:GetSecretValue on arn:aws:secretsmanager:*:*:secret:ecs-sc!* (its Condition on "
            "aws:ResourceAccount holds whichever of the account's secrets is read), where ECS keeps the TLS private "
            "keys of any Service Connect service in the account; narrow its Resource to the app's own secrets or deny "
            "ecs-sc!*"),
    Finding("iam-task-role-no-ecs-sc-secrets", "self-granting-task-role", M,
            "task role self-granting-task-role: inline policy 'app' statement SelfGrant allows iam:PutRolePolicy on "
            "the role itself, so the task can grant itself secretsmanager:GetSecretValue on "
            "arn:aws:secretsmanager:*:*:secret:ecs-sc!*, or grant it to a role it makes and assumes, which no Deny of "
            "this role binds; take IAM write actions off task roles"),
    # Denied every way to take off the policy that denies it the keys: it may still make a role that reads them.
    Finding("iam-task-role-no-ecs-sc-secrets", "locked-task-role", M,
            "task role locked-task-role: inline policy 'app' statement SelfGrant allows iam:PutRolePolicy on the role "
            "itself, so the task can grant itself secretsmanager:GetSecretValue"),
    Finding("iam-task-role-denies-ecs-sc-secrets", "tls-policy-task-role", A,
            "task role tls-policy-task-role has no Deny"),
    Finding("iam-task-role-denies-ecs-sc-secrets", "broad-task-role", A, "task role broad-task-role has no Deny"),
    Finding("iam-task-role-denies-ecs-sc-secrets", "managed-task-role", A, "task role managed-task-role has no Deny"),
    Finding(TARGETS, "tls12-listener", M,
            "forwards to target group tls12-targets, which reaches port 8080, where service tls12-sc-service's "
            f"Service Connect proxy ({SC}.services[0] ('http')) serves only TLS 1.3, with sslPolicy "
            "ELBSecurityPolicy-TLS-1-2-2017-01: not a TLS 1.3 policy, so ELB connects to targets with "
            "ELBSecurityPolicy-2016-08 (TLS 1.2 at most)"),
    Finding(TARGETS, "tls12-default-listener", M, "forwards to target group tls12-default-targets, which reaches "
                                                  "port 8080"),
    Finding(TARGETS, "plain-targets", M, "protocol is HTTP to port 8080, where service plain-sc-service's Service "
                                         "Connect proxy"),
    Finding(TARGETS, "two-port-plain-targets", M, f"protocol is HTTP to port 8443, where service two-port-sc-service's "
                                                  f"Service Connect proxy ({SC}.services[1] ('admin'))"),
    Finding(TARGETS, "unchecked-targets", M, "no healthCheck, so ELB checks with the API's default, HTTP, against "
                                             "port 8080"),
    Finding(TARGETS, "http-check-targets", M, "healthCheck.protocol http against port 8080, where service "
                                              "http-check-sc-service's Service Connect proxy"),
    Finding(TARGETS, "nlb-path-check-targets", M, "healthCheck.protocol not set, so the provider sends HTTP, against "
                                                  "port 8080"),
    Finding(TARGETS, "nlb-passthrough-http-check-targets", M,
            "healthCheck.protocol HTTP against port 8080, where service nlb-passthrough-http-check-sc-service's "
            f"Service Connect proxy ({SC}.services[0] ('http')) serves only TLS 1.3: every target fails its health "
            "checks; set healthCheck.protocol TCP"),
    Finding(TARGETS, "nlb-tcp-targets", M, "protocol is TCP behind TLS listener nlb-tcp-listener, which ends TLS and "
                                           "sends plaintext to port 8080"),
    Finding(TRUST, "open-trust-role", A, "assumeRolePolicy statement 0 lets ecs-tasks.amazonaws.com assume the role "
                                         "with no condition naming one account: ECS could assume this role for "
                                         "another account's tasks (confused deputy)"),
    Finding(TRUST, "any-org-path-trust-role", A,
            "assumeRolePolicy statement 0 lets ecs-tasks.amazonaws.com assume the role with no condition naming one "
            "account: ECS could assume this role for another account's tasks (confused deputy): add "
            "aws:SourceAccount, or aws:SourceArn arn:aws:ecs:<region>:<account>:*"),
    # Not a task role, but every action of Secrets Manager is a wildcard for a service's (IAM.21).
    Finding("iam-no-service-wildcard-actions", "pipeline-role", A,
            "inline policy 'app' statement 0 allows secretsmanager:*: a wildcard for every action of a service"),
]

SC_POLICIES = ["ecs-service-connect-namespace", "ecs-service-connect-tls", "ecs-service-connect-tls-kms-key",
               "ecs-service-connect-logging", "ecs-service-connect-access-logs", "ecs-service-connect-access-log-json",
               "ecs-service-connect-client-alias", "ecs-service-connect-timeout", "ecs-service-connect-port-mapping",
               "ecs-service-connect-no-appmesh-proxy"]
CA_POLICIES = ["acmpca-ca-service-connect-tag", "acmpca-ca-short-lived"]
ROLE_POLICIES = ["iam-task-role-no-ecs-sc-secrets", "iam-task-role-denies-ecs-sc-secrets"]

PASSING = (
    [(p, "good-sc-service") for p in SC_POLICIES]
    # The cluster's serviceConnectDefaults give it a namespace.
    + [(p, "defaults-sc-service") for p in SC_POLICIES]
    # No timeout on its HTTP port: ECS's defaults are within the default bounds.
    + [(p, "default-timeout-sc-service") for p in SC_POLICIES]
    # A public DNS namespace, by ARN or by name: Service Connect makes no DNS records in it, whatever its type.
    + [("ecs-service-connect-namespace", name) for name in ("plaintext-service", "named-public-service")]
    # Its port mapping 'api' has no appProtocol: TCP, which Service Connect serves.
    + [("ecs-service-connect-port-mapping", "leaky-service")]
    + [(p, "sc-ca") for p in CA_POLICIES] + [(p, "general-ca") for p in CA_POLICIES]
    # Its tag key in lower case, which IAM matches.
    + [(p, "lower-key-ca") for p in CA_POLICIES] + [(p, "lower-key-sc-service") for p in SC_POLICIES]
    # Allowed one app secret, denied ecs-sc!*; pipeline-role can read everything but is no task role.
    + [(p, "good-task-role") for p in ROLE_POLICIES] + [(p, "pipeline-role") for p in ROLE_POLICIES]
    # Every secret of another account only (aws:ResourceAccount): none of the ecs-sc! secrets of its own.
    + [("iam-task-role-no-ecs-sc-secrets", "other-account-task-role")]
    # ECS tasks trusted for this account only (the IfExists forms too); the TLS role trusts ECS itself.
    + [(TRUST, "good-task-role"), (TRUST, "execution-trust-role"), (TRUST, "sc-tls-role")]
    # ECS tasks trusted for the accounts of one organization's OU (ForAnyValue:StringLike aws:SourceOrgPaths).
    + [(TRUST, "org-path-trust-role")]
    # HTTPS with HTTPS checks behind a TLS 1.3 listener; checks on a port the proxy does not serve; HTTP to a proxy
    # that listens elsewhere (ingressPortOverride); TLS with TCP checks behind a TLS 1.3 listener, and TCP passed
    # through; the group on the other port of a service with two.
    + [(TARGETS, name) for name in ("tls13-listener", "tls13-targets", "tls12-targets", "own-port-targets",
                                    "bypass-targets", "nlb-tls-targets", "nlb-tls-listener", "nlb-passthrough-targets",
                                    "nlb-tcp-listener", "two-port-targets", "nlb-passthrough-unchecked-targets",
                                    "nlb-passthrough-http-check-listener")]
)


# The target groups' health checks are this program's subject only as Service Connect sees them;
# test_policies_alb_ingress judges their protocol.
result, first_preview = program_fixtures(PROGRAM, {"elb-targetgroup-health-check-https": {"exemptTargetGroups": ["*"]}})


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_knobs_allow_query_parameters_and_longer_timeouts():
    tuned = program(PROGRAM, {
        "ecs-service-connect-access-logs": {"allowQueryParameters": True},
        "ecs-service-connect-timeout": {"maxPerRequestTimeoutSeconds": 120},
    })
    assert ("ecs-service-connect-access-logs", "leaky-service") not in pairs(tuned)
    assert messages(tuned, "ecs-service-connect-timeout", "leaky-service") == [
        f"{SC}.services[0] ('api') timeout.idleTimeoutSeconds is 0, which disables the timeout"]


def test_a_bound_below_ecs_default_timeout_flags_an_endpoint_that_leaves_it_out():
    tuned = program(PROGRAM, {"ecs-service-connect-timeout": {"maxPerRequestTimeoutSeconds": 10}})
    assert messages(tuned, "ecs-service-connect-timeout", "default-timeout-sc-service") == [
        f"{SC}.services[0] ('http') sets no perRequestTimeoutSeconds: ECS's default is 15s; at most 10s"]
    assert messages(tuned, "ecs-service-connect-timeout", "good-sc-service") == [
        f"{SC}.services[0] ('http') timeout.perRequestTimeoutSeconds is 15s; at most 10s"]


def test_a_service_named_in_streaming_services_may_disable_its_request_timeout():
    tuned = program(PROGRAM, {"ecs-service-connect-timeout": {"streamingServices": ["streaming-*"]}})
    assert messages(tuned, "ecs-service-connect-timeout", "streaming-sc-service") == []
    # Not its idle timeout, nor another service's request timeout.
    assert sorted(messages(tuned, "ecs-service-connect-timeout", "leaky-service")) == [
        f"{SC}.services[0] ('api') timeout.idleTimeoutSeconds is 0, which disables the timeout",
        f"{SC}.services[0] ('api') timeout.perRequestTimeoutSeconds is 120s; at most 29s"]


def test_a_first_preview_finds_exactly_what_a_full_one_does(result, first_preview):
    # Links through property dependencies still find the task definition, CA and roles. Not which of a service's two
    # loadBalancers entries (on two ports) names which group: dependencies are kept per property. Nor the account of
    # a role whose ARN is unknown, which its aws:ResourceAccount condition may name.
    assert pairs(first_preview) == pairs(result) - {(TARGETS, "two-port-plain-targets"),
                                                    ("iam-task-role-no-ecs-sc-secrets", "own-account-task-role")}


# --- the task-role check's glob intersection (guardrails/iam/documents.py::common_match) ----------------------

INTERSECTING = [
    ("arn:aws:secretsmanager:*:*:secret:ecs-sc!a*", "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"),
    ("arn:aws:secretsmanager:us-west-2:210987654321:secret:ecs-sc!abc-XyZ123", "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"),
    ("*", "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"),
    ("arn:aws:secretsmanager:*", "arn:aws:*:secret:ecs-sc!*"),
    ("arn:aws:secretsmanager:??-*-?:*:secret:*", "arn:aws:secretsmanager:us-east-1:*:secret:ecs-sc!*"),
    ("a*b", "*c*"), ("*a*", "*b*"), ("a?c", "abc"), ("??", "*"), ("", "*"), ("", ""),
]
DISJOINT = [
    ("arn:aws:ssm:*:*:parameter/*", "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"),
    ("arn:aws:secretsmanager:eu-west-1:*:secret:*", "arn:aws:secretsmanager:us-east-1:*:secret:*"),
    ("a*", "b*"), ("*a", "*b"), ("?", "??"), ("abc", "ab"), ("", "?"), ("a?", "?b?"),
]


@pytest.mark.parametrize("a,b", INTERSECTING)
def test_common_match_spells_a_string_both_patterns_match_either_way_round(a, b):
    from guardrails.iam.documents import _glob, common_match

    for first, second in ((a, b), (b, a)):
        witness = common_match(first, second)
        assert witness is not None, (first, second)
        assert _glob(witness, first, lower=False) and _glob(witness, second, lower=False), witness


@pytest.mark.parametrize("a,b", DISJOINT)
def test_common_match_finds_nothing_for_disjoint_patterns_either_way_round(a, b):
    from guardrails.iam.documents import common_match

    assert common_match(a, b) is None and common_match(b, a) is None


def test_common_match_agrees_with_brute_force_on_every_small_pattern_pair():
    # Every pattern of up to three symbols over {a, b, *, ?}: two patterns share a string iff one of length <= 6
    # over {a, b} matches both (a shortest common string is no longer than the two patterns together).
    from itertools import product

    from guardrails.iam.documents import _glob, common_match

    patterns = ["".join(p) for n in range(4) for p in product("ab*?", repeat=n)]
    strings = ["".join(s) for n in range(7) for s in product("ab", repeat=n)]
    matched = {p: {s for s in strings if _glob(s, p, lower=False)} for p in patterns}
    for a, b in product(patterns, repeat=2):
        witness = common_match(a, b)
        assert (witness is not None) == bool(matched[a] & matched[b]), (a, b, witness)
        if witness is not None:
            assert _glob(witness, a, lower=False) and _glob(witness, b, lower=False), (a, b, witness)


@pytest.mark.parametrize("pattern,witness", [
    ("arn:aws:secretsmanager:*:*:secret:ecs-sc!a*", "arn:aws:secretsmanager:x:xxxxxxxxxxxx:secret:ecs-sc!a-xxxxxx"),
    ("arn:aws:secretsmanager:us-west-2:210987654321:secret:ecs-sc!abc-XyZ123",
     "arn:aws:secretsmanager:us-west-2:210987654321:secret:ecs-sc!abc-XyZ123"),
    # Wildcards cross colons, so these share strings with ecs-sc!* (`app/*` after "...:secret:ecs-sc!x:y:secret:"),
    # but no ARN Secrets Manager issues: its region, 12-character account and name never hold a colon.
    ("arn:aws:secretsmanager:*:*:secret:app/*", None),
    ("arn:aws:secretsmanager:*:*:secret:ecs-s?-*", None),
    ("arn:aws:secretsmanager:*:*:secret:*:*", None),
    # No name with the six-character suffix fits.
    ("arn:aws:secretsmanager:*:*:secret:ecs-sc!", None),
])
def test_the_task_role_check_builds_real_ecs_sc_arns(pattern, witness):
    from guardrails.iam.documents import common_match
    from guardrails.iam.task_role import AWS_SECRETS

    assert common_match(pattern, AWS_SECRETS.arns, not_in_b_wildcards=":") == witness
    assert common_match(pattern, AWS_SECRETS.pattern) is not None


# --- the advisory Deny's coverage (guardrails/iam/documents.py::uncovered) ------------------------------------


def test_uncovered_agrees_with_brute_force_on_small_patterns():
    # `b` any pattern of up to three symbols over {a, b, *, ?}; the covering set one such pattern, or two of up to
    # two symbols. Every string over {a, b, c} of length <= 5 that `b` matches and none of them does must be seen
    # (c stands for a character no pattern names), and every string `uncovered` spells must be one.
    from itertools import combinations_with_replacement, product

    from guardrails.iam.documents import _glob, uncovered

    patterns = ["".join(p) for n in range(4) for p in product("ab*?", repeat=n)]
    short = [p for p in patterns if len(p) <= 2]
    strings = ["".join(s) for n in range(6) for s in product("abc", repeat=n)]
    matched = {p: {s for s in strings if _glob(s, p, lower=False)} for p in patterns}
    covers = [[p] for p in patterns] + [list(pair) for pair in combinations_with_replacement(short, 2)]
    for b in patterns:
        for cover in covers:
            witness = uncovered(cover, b)
            if matched[b] - set().union(*(matched[p] for p in cover)):
                assert witness is not None, (cover, b)
            if witness is not None:
                assert _glob(witness, b, lower=False), (cover, b, witness)
                assert not any(_glob(witness, p, lower=False) for p in cover), (cover, b, witness)


@pytest.mark.parametrize("patterns,covered", [
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!*"], True),
    (["*"], True),
    (["arn:aws:*:secret:ecs-sc!*"], True),
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!*-??????"], True),   # every name Secrets Manager issues
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!?*"], True),          # the name has at least seven characters
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!a*", "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"], True),
    ([], False),
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!a*"], False),
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!p*"], False),
    (["arn:aws:secretsmanager:us-east-1:*:secret:ecs-sc!*"], False),
    (["arn:aws:secretsmanager:*:123456789012:secret:ecs-sc!*"], False),
    (["arn:aws:secretsmanager:*:*:secret:ecs-sc!*-???????"], False),
    (["arn:aws:secretsmanager:*:*:secret:ECS-SC!*"], False),          # Resource matching is case-sensitive
])
def test_the_advisory_deny_must_cover_every_real_ecs_sc_arn(patterns, covered):
    from guardrails.iam.documents import _glob, uncovered
    from guardrails.iam.task_role import AWS_SECRETS

    witness = uncovered(patterns, AWS_SECRETS.arns, not_in_b_wildcards=":")
    assert (witness is None) == covered, witness
    if witness is not None:
        assert _glob(witness, AWS_SECRETS.arns, lower=False) and ":" not in witness.split(":secret:", 1)[1]


def test_uncovered_stops_searching_where_a_pattern_covers_everything_and_gives_up_past_its_budget():
    from guardrails.iam.documents import SearchTooLarge, uncovered
    from guardrails.iam.task_role import AWS_SECRETS

    infix = [f"arn:aws:secretsmanager:*:*:secret:*w{i:02d}*" for i in range(20)]
    # With the Deny of every ecs-sc! secret among them, the search ends once that pattern reaches its `*`: one
    # state per character before it.
    assert uncovered(["arn:aws:secretsmanager:*:*:secret:ecs-sc!*", *infix], AWS_SECRETS.arns,
                     not_in_b_wildcards=":", max_states=200) is None
    # Patterns that share no string with the ARNs (another service) are left out before the search.
    assert uncovered([f"arn:aws:ssm:*:*:parameter/*w{i:02d}*" for i in range(40)] + ["*"], AWS_SECRETS.arns,
                     not_in_b_wildcards=":", max_states=1) is None
    words = [f"arn:aws:secretsmanager:*:*:secret:ecs-sc!*{w}*-??????" for w in ("prod", "dev", "api", "db")]
    with pytest.raises(SearchTooLarge):
        uncovered(words, AWS_SECRETS.arns, not_in_b_wildcards=":", max_states=200)


def test_a_target_groups_protocol_of_another_shape_is_not_judged(result):
    """A target group's protocol given as a map (ELB takes a ProtocolEnum string) could not be looked up among the
    protocols: TypeError, and the stack policy gave no verdict. That group is not judged now; the others are."""
    odd = [reshaped(r, ("protocol",), {"name": "HTTP"}) if r.name == "plain-targets" else r for r in result.resources]
    found = findings(evaluate(PACKS_OWN, odd, {"all": "disabled", TARGETS: "mandatory"}))
    assert {name for _, name, _ in found} == {f.resource for f in FAILING if f.policy == TARGETS} - {"plain-targets"}
