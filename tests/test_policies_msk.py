"""MSK guardrails against tests/programs/policy_msk (raw provisioned clusters, MSK Connect connectors and
replicators)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_msk"
M = "mandatory"
IN_CLUSTER, CLIENT_TLS = "msk-cluster-in-cluster-encryption", "msk-cluster-client-tls"
PUBLIC, AUTH, LOGS = "msk-cluster-not-public", "msk-cluster-authenticated-clients", "msk-cluster-broker-logging"
POLICIES = (IN_CLUSTER, CLIENT_TLS, PUBLIC, AUTH, LOGS)
CONNECTOR_TLS, CONNECTOR_LOGS = "msk-connector-encrypted-in-transit", "msk-connector-logging"
REPLICATOR_LOGS = "msk-replicator-logging"
OPEN = "msk-cluster-policy-not-public"
CLUSTER_POLICY = "aws:msk/clusterPolicy:ClusterPolicy"

FAILING = [
    Finding(IN_CLUSTER, "plaintext-kafka", M, "encryptionInfo.encryptionInTransit.inCluster is false: the brokers "
                                              "replicate every record to each other in plain text; set it true"),
    Finding(CLIENT_TLS, "plaintext-kafka", M, "encryptionInfo.encryptionInTransit.clientBroker is PLAINTEXT: clients "
                                              "send and read records in plain text; set TLS"),
    Finding(CLIENT_TLS, "mixed-kafka", M, "clientBroker is TLS_PLAINTEXT: the brokers also take plain-text clients"),
    Finding(PUBLIC, "public-kafka", M, "brokerNodeGroupInfo.connectivityInfo.publicAccess.type is "
                                       "SERVICE_PROVIDED_EIPS: the brokers have public addresses, reachable from the "
                                       "internet"),
    Finding(AUTH, "default-kafka", M, "clientAuthentication is left out: the cluster has no client authentication, so "
                                      "any client that reaches the brokers reads and writes topics without "
                                      "credentials"),
    Finding(AUTH, "mixed-kafka", M, "clientAuthentication.unauthenticated is true: any client that reaches the "
                                    "brokers reads and writes topics without credentials, whatever else is on"),
    Finding(LOGS, "default-kafka", M, "loggingInfo.brokerLogs is left out: nothing records the brokers' errors or "
                                      "their clients' connections"),
    Finding(LOGS, "quiet-kafka", M, "loggingInfo.brokerLogs is set with no destination enabled"),
    Finding(OPEN, "public-kafka", M, "MSK cluster public-kafka (policy in ClusterPolicy public-kafka-policy) statement "
                                     "Everyone allows Principal * with no condition naming an account or "
                                     "organization: any AWS account's principals may connect VPCs of their own to the "
                                     "cluster and connect to its brokers as IAM clients; name the accounts that "
                                     "connect, or add a condition such as StringEquals aws:PrincipalOrgID <your "
                                     "organization>"),
    # Another stack's cluster: reported on the policy.
    Finding(OPEN, "imported-kafka-policy", M, "ClusterPolicy imported-kafka-policy statement Everyone allows "
                                              "Principal * with no condition naming an account or organization"),
    Finding(CONNECTOR_TLS, "default-sink", M, "kafkaClusterEncryptionInTransit.encryptionType is unset (PLAINTEXT): "
                                              "the connector copies records to and from the cluster in plain text; "
                                              "set TLS"),
    Finding(CONNECTOR_TLS, "quiet-sink", M, "kafkaClusterEncryptionInTransit.encryptionType is PLAINTEXT"),
    Finding(CONNECTOR_LOGS, "default-sink", M, "logDelivery.workerLogDelivery is left out: nothing records what the "
                                               "connector did or why it failed"),
    Finding(CONNECTOR_LOGS, "quiet-sink", M, "logDelivery.workerLogDelivery is set with no destination enabled"),
    Finding(REPLICATOR_LOGS, "default-replicator", M, "logDelivery.replicatorLogDelivery is left out: nothing records "
                                                      "the replicator's authorization failures, connection errors or "
                                                      "records it could not copy; enable cloudwatchLogs (with a "
                                                      "logGroup), firehose or s3"),
    Finding(REPLICATOR_LOGS, "quiet-replicator", M, "logDelivery.replicatorLogDelivery is set with no destination "
                                                    "enabled"),
]
PASSING = [
    *((policy, "telemetry-kafka") for policy in POLICIES),
    # Left out, MSK takes TLS only from clients, encrypts between brokers and keeps them private.
    *((policy, "default-kafka") for policy in (CLIENT_TLS, IN_CLUSTER, PUBLIC)),
    # Public access DISABLED, mutual TLS, broker logs to S3.
    *((policy, "private-kafka") for policy in (PUBLIC, AUTH, LOGS)),
    # A certificate authority and a log switch known only after the update.
    *((policy, "later-kafka") for policy in (AUTH, LOGS)),
    (CONNECTOR_TLS, "telemetry-sink"), (CONNECTOR_LOGS, "telemetry-sink"),
    # Every account of one organization; no cluster policy at all.
    (OPEN, "telemetry-kafka"), (OPEN, "default-kafka"),
    # A log switch known only after the update.
    (CONNECTOR_TLS, "later-sink"), (CONNECTOR_LOGS, "later-sink"),
    # Logs to CloudWatch Logs; a log switch known only after the update.
    (REPLICATOR_LOGS, "telemetry-replicator"), (REPLICATOR_LOGS, "later-replicator"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def msk_cluster(**settings) -> Res:
    """A cluster that passes the MSK family's policies, with `settings` over its props."""
    return Res("aws:msk/cluster:Cluster", "kafka", {
        "clusterName": "kafka", "kafkaVersion": "3.8.x", "numberOfBrokerNodes": 3,
        "brokerNodeGroupInfo": {"instanceType": "kafka.m7g.large", "clientSubnets": ["subnet-a", "subnet-b"],
                                "securityGroups": ["sg-kafka"]},
        "encryptionInfo": {"encryptionInTransit": {"clientBroker": "TLS", "inCluster": True}},
        "clientAuthentication": {"sasl": {"iam": True}, "unauthenticated": False},
        "loggingInfo": {"brokerLogs": {"cloudwatchLogs": {"enabled": True, "logGroup": "/shop/kafka"}}},
        "tags": DEFAULT_TAGS, **settings})


def in_transit(**block) -> dict:
    return {"encryptionInfo": {"encryptionInTransit": block}}


@pytest.mark.parametrize("settings, found", [
    ({}, set()),
    # Left out, MSK encrypts between brokers; within the block the provider sends TLS for clients, and without it
    # nothing, and MSK takes TLS only (what AWS reads back for such a cluster).
    ({"encryptionInfo": None}, set()), (in_transit(), set()),
    ({"encryptionInfo": {"encryptionAtRestKmsKeyArn": "k"}}, set()),
    ({"encryptionInfo": {"encryptionInTransit": UNKNOWN}}, set()),
    ({"encryptionInfo": UNKNOWN}, set()), (in_transit(inCluster=UNKNOWN, clientBroker=UNKNOWN), set()),
    (in_transit(inCluster=False), {IN_CLUSTER}), (in_transit(inCluster="false"), {IN_CLUSTER}),
    (in_transit(clientBroker="TLS_PLAINTEXT"), {CLIENT_TLS}), (in_transit(clientBroker="PLAINTEXT"), {CLIENT_TLS}),
    (in_transit(clientBroker="PLAINTEXT", inCluster=False), {CLIENT_TLS, IN_CLUSTER})])
def test_traffic_is_encrypted_between_brokers_and_from_clients(settings, found):
    assert policies_found([msk_cluster(**settings)]) == found


def nodes(public) -> dict:
    return {"brokerNodeGroupInfo": {"instanceType": "kafka.m7g.large", "clientSubnets": ["subnet-a"],
                                    "securityGroups": ["sg-kafka"],
                                    **({} if public is None else {"connectivityInfo": public})}}


@pytest.mark.parametrize("connectivity, reported", [
    (None, False), ({}, False), ({"publicAccess": {}}, False), ({"publicAccess": {"type": "DISABLED"}}, False),
    ({"publicAccess": {"type": "SERVICE_PROVIDED_EIPS"}}, True), (UNKNOWN, False), ({"publicAccess": UNKNOWN}, False),
    ({"publicAccess": {"type": UNKNOWN}}, False)])
def test_brokers_have_no_public_access(connectivity, reported):
    assert (policies_found([msk_cluster(**nodes(connectivity))]) == {PUBLIC}) == reported


@pytest.mark.parametrize("auth, reported", [
    ({"sasl": {"iam": True}}, False), ({"sasl": {"scram": True}, "unauthenticated": False}, False),
    ({"tls": {"certificateAuthorityArns": ["arn:aws:acm-pca:ca"]}}, False),
    # No mechanism at all: clients connect without credentials.
    (None, True), ({}, True), ({"unauthenticated": False}, True), ({"sasl": {"iam": False, "scram": False}}, True),
    ({"tls": {}}, True), ({"tls": {"certificateAuthorityArns": []}}, True),
    # Unauthenticated access on beside a mechanism (MSK.6 fails it).
    ({"sasl": {"iam": True}, "unauthenticated": True}, True),
    ({"sasl": {"iam": True}, "unauthenticated": "true"}, True),
    # Unknowns.
    (UNKNOWN, False), ({"sasl": UNKNOWN}, False), ({"sasl": {"iam": UNKNOWN}}, False),
    ({"tls": {"certificateAuthorityArns": [UNKNOWN]}}, False), ({"tls": UNKNOWN}, False),
    ({"unauthenticated": UNKNOWN}, False), ({"sasl": {"iam": True}, "unauthenticated": UNKNOWN}, False),
    ({"sasl": {"iam": UNKNOWN}, "unauthenticated": True}, True)])
def test_every_client_is_authenticated(auth, reported):
    assert (policies_found([msk_cluster(clientAuthentication=auth)]) == {AUTH}) == reported


@pytest.mark.parametrize("logging, reported", [
    ({"brokerLogs": {"firehose": {"enabled": True, "deliveryStream": "s"}}}, False),
    ({"brokerLogs": {"s3": {"enabled": True, "bucket": "b"}, "cloudwatchLogs": {"enabled": False}}}, False),
    (None, True), ({"brokerLogs": {}}, True), ({"brokerLogs": {"cloudwatchLogs": {"enabled": "false"}}}, True),
    (UNKNOWN, False), ({"brokerLogs": UNKNOWN}, False), ({"brokerLogs": {"s3": {"enabled": UNKNOWN}}}, False)])
def test_brokers_deliver_their_logs(logging, reported):
    assert (policies_found([msk_cluster(loggingInfo=logging)]) == {LOGS}) == reported


def connector(**settings) -> Res:
    """A connector that passes the MSK family's policies, with `settings` over its props."""
    return Res("aws:mskconnect/connector:Connector", "sink", {
        "name": "sink", "kafkaconnectVersion": "3.7.x", "serviceExecutionRoleArn": "arn:aws:iam::123456789012:role/c",
        "kafkaClusterEncryptionInTransit": {"encryptionType": "TLS"},
        "kafkaClusterClientAuthentication": {"authenticationType": "IAM"},
        "logDelivery": {"workerLogDelivery": {"cloudwatchLogs": {"enabled": True, "logGroup": "/shop/connect"}}},
        "tags": DEFAULT_TAGS, **settings})


@pytest.mark.parametrize("settings, found", [
    ({}, set()),
    ({"kafkaClusterEncryptionInTransit": {}}, {CONNECTOR_TLS}),
    ({"kafkaClusterEncryptionInTransit": {"encryptionType": "PLAINTEXT"}}, {CONNECTOR_TLS}),
    ({"kafkaClusterEncryptionInTransit": UNKNOWN}, set()),
    ({"kafkaClusterEncryptionInTransit": {"encryptionType": UNKNOWN}}, set()),
    ({"logDelivery": None}, {CONNECTOR_LOGS}), ({"logDelivery": {"workerLogDelivery": {}}}, {CONNECTOR_LOGS}),
    ({"logDelivery": {"workerLogDelivery": {"s3": {"enabled": "false"}}}}, {CONNECTOR_LOGS}),
    ({"logDelivery": {"workerLogDelivery": {"s3": {"enabled": True, "bucket": "b"}}}}, set()),
    ({"logDelivery": UNKNOWN}, set()), ({"logDelivery": {"workerLogDelivery": UNKNOWN}}, set()),
    ({"logDelivery": {"workerLogDelivery": {"firehose": {"enabled": UNKNOWN}}}}, set())])
def test_a_connector_reaches_its_cluster_over_tls_and_logs(settings, found):
    assert policies_found([connector(**settings)]) == found


def replicator(**settings) -> Res:
    """A replicator that passes the MSK family's policies, with `settings` over its props."""
    return Res("aws:msk/replicator:Replicator", "replicator", {
        "replicatorName": "replicator", "serviceExecutionRoleArn": "arn:aws:iam::123456789012:role/r",
        "kafkaClusters": [{"amazonMskCluster": {"mskClusterArn": "arn:aws:kafka:us-east-1:123456789012:cluster/a/1"},
                           "vpcConfig": {"subnetIds": ["subnet-a"], "securityGroupsIds": ["sg-replicator"]}}],
        "logDelivery": {"replicatorLogDelivery": {"s3": {"enabled": True, "bucket": "shop-kafka-logs"}}},
        "tags": DEFAULT_TAGS, **settings})


@pytest.mark.parametrize("logs, reported", [
    ({"replicatorLogDelivery": {"firehose": {"enabled": True, "deliveryStream": "s"}}}, False),
    ({"replicatorLogDelivery": {"cloudwatchLogs": {"enabled": False}, "s3": {"enabled": True}}}, False),
    # MSK delivers no replicator log unless a destination is on.
    (None, True), ({}, True), ({"replicatorLogDelivery": {}}, True),
    ({"replicatorLogDelivery": {"cloudwatchLogs": {"enabled": "false"}}}, True),
    (UNKNOWN, False), ({"replicatorLogDelivery": UNKNOWN}, False),
    ({"replicatorLogDelivery": {"s3": {"enabled": UNKNOWN}}}, False)])
def test_a_replicator_delivers_its_logs(logs, reported):
    assert policies_found([replicator(logDelivery=logs)]) == ({REPLICATOR_LOGS} if reported else set())


def _cluster_policy(statement, cluster_arn=UNKNOWN, refs=None) -> Res:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", **statement}]}
    return Res(CLUSTER_POLICY, "kafka-policy", {"clusterArn": cluster_arn, "policy": document}, refs=refs or {})


EVERYONE = {"Sid": "Everyone", "Principal": {"AWS": "*"}, "Action": ["kafka:CreateVpcConnection", "kafka-cluster:*"]}


@pytest.mark.parametrize("statement, reported", [
    (EVERYONE, True), ({**EVERYONE, "Principal": "*"}, True),
    ({**EVERYONE, "Principal": {"AWS": "arn:aws:iam::210987654321:root"}}, False),
    ({**EVERYONE, "Effect": "Deny"}, False),
    ({**EVERYONE, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}, False),
    ({**EVERYONE, "Condition": {"StringEquals": {"aws:PrincipalAccount": ["210987654321", "123456789012"]}}}, False),
    # A wildcard names no one; what is unknown until the update is not judged.
    ({**EVERYONE, "Condition": {"StringLike": {"aws:PrincipalAccount": "*"}}}, True),
    ({**EVERYONE, "Principal": UNKNOWN}, False), ({**EVERYONE, "Condition": UNKNOWN}, False)])
def test_no_cluster_policy_lets_every_account_in(statement, reported):
    cluster = msk_cluster(arn="arn:aws:kafka:us-east-1:123456789012:cluster/kafka/1234")
    by_reference = _cluster_policy(statement, refs={"clusterArn": ["kafka"]})
    assert [(name == "kafka") for policy, name, _ in findings(analyze([cluster, by_reference], {"all": "mandatory"}))
            if policy == OPEN] == ([True] if reported else [])
    # Another stack's cluster: judged on the policy itself.
    outside = _cluster_policy(statement, "arn:aws:kafka:us-east-1:123456789012:cluster/shared/5678")
    assert (OPEN in policies_found([outside])) == reported


@pytest.mark.parametrize("action, uses", [
    ("kafka:CreateVpcConnection", "connect VPCs of their own to the cluster"),
    (["kafka-cluster:Connect", "kafka-cluster:ReadData"], "connect to its brokers as IAM clients"),
    ("kafka:*", "connect VPCs of their own to the cluster"),
    ("*", "connect VPCs of their own to the cluster and connect to its brokers as IAM clients"),
    ("kafka:DescribeClusterV2", "use the cluster"), ([UNKNOWN, "kafka:GetBootstrapBrokers"], "use the cluster")])
def test_a_public_cluster_policy_says_what_it_lets_every_account_do(action, uses):
    policy = _cluster_policy({**EVERYONE, "Action": action}, "arn:aws:kafka:us-east-1:123456789012:cluster/shared/5678")
    [(_, _, message)] = findings(analyze([policy], {"all": "mandatory"}))
    assert f"any AWS account's principals may {uses}; name the accounts that connect" in message
