"""Amazon MQ guardrails against tests/programs/policy_mq (raw brokers)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_mq"
BROKER = "aws:mq/broker:Broker"
NOT_PUBLIC, AUDIT = "mq-broker-not-public", "mq-broker-audit-logging"
UPGRADE, MULTI_AZ = "mq-broker-auto-minor-version-upgrade", "mq-broker-multi-az"

FAILING = [
    Finding(NOT_PUBLIC, "public-broker", "mandatory",
            "publiclyAccessible is true: the broker gets a public endpoint that takes connections from outside its "
            "VPC; leave it out or set false"),
    # Without `logs` the provider sends no Audit, and the broker writes no audit log.
    Finding(AUDIT, "unaudited-broker", "mandatory",
            "logs.audit is unset (false): the ActiveMQ broker streams no audit log to CloudWatch Logs"),
    Finding(AUDIT, "general-only-broker", "mandatory",
            "logs.audit is false: the ActiveMQ broker streams no audit log to CloudWatch Logs, so no record shows the "
            "user management actions made through JMX or the web console; set logs.audit true"),
    Finding(UPGRADE, "pinned-broker", "advisory",
            "autoMinorVersionUpgrade is false: Amazon MQ upgrades the broker to no new minor or patch engine version "
            "by itself, so security fixes wait for a manual upgrade; set true (from ActiveMQ 5.18 and RabbitMQ 3.13 "
            "on, Amazon MQ requires it and refuses false)"),
    # Left out, pulumi-aws sends false, whatever CreateBroker's own default (true).
    Finding(UPGRADE, "unpatched-rabbit", "advisory", "autoMinorVersionUpgrade is unset (false): Amazon MQ upgrades"),
    # Left out, pulumi-aws sends SINGLE_INSTANCE.
    Finding(MULTI_AZ, "single-broker", "advisory",
            "deploymentMode is unset (SINGLE_INSTANCE): the broker is one instance in one Availability Zone, with "
            "nothing to take over when it or its zone fails; set ACTIVE_STANDBY_MULTI_AZ (an active and a standby "
            "instance in two Availability Zones; Amazon MQ sets it at creation only: the broker is replaced)"),
    Finding(MULTI_AZ, "single-rabbit", "advisory",
            "deploymentMode is SINGLE_INSTANCE: the broker is one instance in one Availability Zone, with nothing to "
            "take over when it or its zone fails; set CLUSTER_MULTI_AZ (a cluster of three nodes across"),
]
# Private said outright; left out (the provider sends false); known only after the update.
PASSING = [(NOT_PUBLIC, "private-broker"), (NOT_PUBLIC, "default-broker"), (NOT_PUBLIC, "later-broker"),
           # Audited; known only after the update; RabbitMQ, which has no audit log.
           (AUDIT, "default-broker"), (AUDIT, "later-audited-broker"), (AUDIT, "rabbit-broker"),
           (UPGRADE, "default-broker"), (UPGRADE, "rabbit-broker"), (UPGRADE, "later-patched-broker"),
           # Active/standby; a RabbitMQ cluster, in either case.
           (MULTI_AZ, "default-broker"), (MULTI_AZ, "rabbit-broker"), (MULTI_AZ, "lower-case-rabbit")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def broker(**props):
    return Res(BROKER, "broker", {"brokerName": "broker", "engineType": "ActiveMQ", "engineVersion": "5.18",
                                  "hostInstanceType": "mq.m5.large", "tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), (None, False), (UNKNOWN, False)])
def test_a_broker_has_no_public_endpoint(accessible, reported):
    """terraform-provider-aws sends PubliclyAccessible in every CreateBroker, false when left out (CreateBroker's own
    default is false too)."""
    props = {} if accessible is None else {"publiclyAccessible": accessible}
    assert (NOT_PUBLIC in policies_found([broker(**props)])) == reported


@pytest.mark.parametrize("engine, logs, reported", [
    ("ActiveMQ", {"audit": True}, False), ("ActiveMQ", {"audit": "true", "general": False}, False),
    ("ActiveMQ", None, True), ("ActiveMQ", {"general": True}, True), ("ActiveMQ", {"audit": False}, True),
    ("ACTIVEMQ", {"audit": "false"}, True), ("activemq", None, True),
    # RabbitMQ has no audit log (the provider refuses logs.audit true for it); unknowns are not judged.
    ("RabbitMQ", None, False), ("RABBITMQ", {"general": True}, False), (UNKNOWN, None, False),
    ("ActiveMQ", UNKNOWN, False), ("ActiveMQ", {"audit": UNKNOWN}, False), ({"type": "ActiveMQ"}, None, False)])
def test_an_activemq_broker_streams_its_audit_log(engine, logs, reported):
    props = {"engineType": engine, **({} if logs is None else {"logs": logs})}
    assert (AUDIT in policies_found([broker(**props)])) == reported


@pytest.mark.parametrize("upgrade, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_broker_takes_new_engine_versions_automatically(upgrade, reported):
    """terraform-provider-aws sends AutoMinorVersionUpgrade in every CreateBroker, false when left out."""
    props = {"engineVersion": "5.17.6", **({} if upgrade is None else {"autoMinorVersionUpgrade": upgrade})}
    assert (UPGRADE in policies_found([broker(**props)])) == reported


@pytest.mark.parametrize("engine, mode, reported", [
    ("ActiveMQ", "ACTIVE_STANDBY_MULTI_AZ", False), ("activemq", "active_standby_multi_az", False),
    ("ActiveMQ", None, True), ("ActiveMQ", "SINGLE_INSTANCE", True), ("ActiveMQ", "", True),
    ("RabbitMQ", "CLUSTER_MULTI_AZ", False), ("RabbitMQ", None, True), ("RABBITMQ", "single_instance", True),
    # The provider matches the mode ignoring case but does not trim it: a padded mode fails its validation.
    ("ActiveMQ", " ACTIVE_STANDBY_MULTI_AZ", True), ("RabbitMQ", "CLUSTER_MULTI_AZ ", True),
    # Each engine's own mode: the other's is no multi-AZ mode for it (CreateBroker refuses it).
    ("ActiveMQ", "CLUSTER_MULTI_AZ", True), ("RabbitMQ", "ACTIVE_STANDBY_MULTI_AZ", True),
    # Unknowns, and an engine or mode given as no text, are not judged.
    (UNKNOWN, None, False), ("ActiveMQ", UNKNOWN, False), ({"type": "RabbitMQ"}, None, False),
    ("RabbitMQ", ["CLUSTER_MULTI_AZ"], False)])
def test_a_broker_spans_availability_zones(engine, mode, reported):
    props = {"engineType": engine, **({} if mode is None else {"deploymentMode": mode})}
    assert (MULTI_AZ in policies_found([broker(**props)])) == reported
