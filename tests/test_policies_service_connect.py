"""Service Connect, Private CA and task-role guardrails against tests/programs/policy_service_connect."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (
    Finding,
    InsecureProgramSuite,
    assert_unknowns_add_nothing,
    messages,
    pairs,
    program,
)

PROGRAM = "policy_service_connect"
M, A = "mandatory", "advisory"
SC = "serviceConnectConfiguration"

FAILING = [
    Finding("ecs-service-connect-namespace", "plaintext-service", M,
            f"{SC}.namespace is the public DNS namespace shop.example.com"),
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
    Finding("ecs-service-connect-timeout", "plaintext-service", M, f"{SC}.services[0] ('web') sets no timeout"),
    Finding("ecs-service-connect-timeout", "leaky-service", M, "timeout.perRequestTimeoutSeconds is 120s; at most 29s"),
    Finding("ecs-service-connect-timeout", "leaky-service", M,
            "timeout.idleTimeoutSeconds is 0, which disables the timeout"),
    Finding("ecs-service-connect-port-mapping", "plaintext-service", M,
            f"{SC}.services[0] ('web'): task definition tcp-task has no port mapping named 'web' (named: api)"),
    Finding("ecs-service-connect-port-mapping", "leaky-service", M,
            "port mapping 'api' of container 'app' in task definition tcp-task has no appProtocol"),
    Finding("ecs-service-connect-no-appmesh-proxy", "mesh-sc-service", M,
            "task definition mesh-task has an APPMESH proxyConfiguration"),
    Finding("ecs-service-connect-no-appmesh-proxy", "mesh-sc-service", M,
            "task definition mesh-task runs the App Mesh Envoy image in container 'envoy'"),
    Finding("acmpca-ca-service-connect-tag", "untagged-ca", M,
            "certificate authority untagged-ca: tag AmazonECSManaged is missing"),
    Finding("acmpca-ca-short-lived", "untagged-ca", A, "usageMode is unset (GENERAL_PURPOSE); use SHORT_LIVED_CERTIFICATE"),
    Finding("iam-task-role-no-ecs-sc-secrets", "broad-task-role", M,
            "task role broad-task-role: inline policy 'app' statement ReadAll allows secretsmanager:GetSecretValue"),
    Finding("iam-task-role-no-ecs-sc-secrets", "managed-task-role", M,
            "policy arn:aws:iam::aws:policy/SecretsManagerReadWrite statement 0 allows"),
    Finding("iam-task-role-denies-ecs-sc-secrets", "broad-task-role", A, "task role broad-task-role has no Deny"),
    Finding("iam-task-role-denies-ecs-sc-secrets", "managed-task-role", A, "task role managed-task-role has no Deny"),
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
    + [(p, "sc-ca") for p in CA_POLICIES] + [(p, "general-ca") for p in CA_POLICIES]
    # Allowed one app secret, denied ecs-sc!*; pipeline-role can read everything but is no task role.
    + [(p, "good-task-role") for p in ROLE_POLICIES] + [(p, "pipeline-role") for p in ROLE_POLICIES]
)


@pytest.fixture(scope="module")
def result():
    return program(PROGRAM)


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


def test_unknown_values_never_add_violations(result):
    first_preview = program(PROGRAM, unknown=True)
    assert_unknowns_add_nothing(result, first_preview)
    # Links through property dependencies still find the namespace, task definition, CA and roles.
    assert pairs(first_preview) == pairs(result)
