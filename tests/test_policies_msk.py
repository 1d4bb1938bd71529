"""MSK guardrails against tests/programs/policy_msk (raw provisioned clusters and MSK Connect connectors)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_msk"
M = "mandatory"
IN_CLUSTER, CLIENT_TLS = "msk-cluster-in-cluster-encryption", "msk-cluster-client-tls"
PUBLIC, AUTH, LOGS = "msk-cluster-not-public", "msk-cluster-authenticated-clients", "msk-cluster-broker-logging"
POLICIES = (IN_CLUSTER, CLIENT_TLS, PUBLIC, AUTH, LOGS)
CONNECTOR_TLS, CONNECTOR_LOGS = "msk-connector-encrypted-in-transit", "msk-connector-logging"

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
    Finding(CONNECTOR_TLS, "default-sink", M, "kafkaClusterEncryptionInTransit.encryptionType is unset (PLAINTEXT): "
                                              "the connector copies records to and from the cluster in plain text; "
                                              "set TLS"),
    Finding(CONNECTOR_TLS, "quiet-sink", M, "kafkaClusterEncryptionInTransit.encryptionType is PLAINTEXT"),
    Finding(CONNECTOR_LOGS, "default-sink", M, "logDelivery.workerLogDelivery is left out: nothing records what the "
                                               "connector did or why it failed"),
    Finding(CONNECTOR_LOGS, "quiet-sink", M, "logDelivery.workerLogDelivery is set with no destination enabled"),
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
    # A log switch known only after the update.
    (CONNECTOR_TLS, "later-sink"), (CONNECTOR_LOGS, "later-sink"),
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
