"""Elastic Beanstalk guardrails against tests/programs/policy_elasticbeanstalk (raw environments and saved
configurations)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_elasticbeanstalk"
ENVIRONMENT = "aws:elasticbeanstalk/environment:Environment"
TEMPLATE = "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate"
HEALTH = "elasticbeanstalk-environment-enhanced-health"
MANAGED = "elasticbeanstalk-environment-managed-updates"
LOGS = "elasticbeanstalk-environment-stream-logs"
HEALTH_NS = "aws:elasticbeanstalk:healthreporting:system"
MANAGED_NS = "aws:elasticbeanstalk:managedactions"
PLATFORM_UPDATE_NS = "aws:elasticbeanstalk:managedactions:platformupdate"
LOGS_NS = "aws:elasticbeanstalk:cloudwatch:logs"

FAILING = [
    Finding(HEALTH, "basic-env", "advisory",
            "aws:elasticbeanstalk:healthreporting:system SystemType is basic: Elastic Beanstalk judges health by the "
            "load balancer's checks alone, with no agent reading the instances' logs and metrics; set it to enhanced "
            "(with a service role and an instance profile)"),
    # Left out, the API's default is basic.
    Finding(HEALTH, "default-health-env", "advisory",
            "aws:elasticbeanstalk:healthreporting:system SystemType is unset (basic): Elastic Beanstalk judges"),
    Finding(HEALTH, "shop-basic", "advisory", "SystemType is unset (basic)"),
    Finding(MANAGED, "unmanaged-env", "advisory",
            "aws:elasticbeanstalk:managedactions ManagedActionsEnabled is false: Elastic Beanstalk applies no platform "
            "update by itself, so the platform's security patches wait for a manual update; set it true, with a "
            "PreferredStartTime and aws:elasticbeanstalk:managedactions:platformupdate UpdateLevel patch or minor "
            "(managed updates need enhanced health)"),
    # The environment's own false wins over the level its saved configuration gives.
    Finding(MANAGED, "templated-unmanaged-env", "advisory",
            "aws:elasticbeanstalk:managedactions ManagedActionsEnabled is false: Elastic Beanstalk applies no platform "
            "update by itself"),
    # UpdateLevel has no default: nothing to apply.
    Finding(MANAGED, "levelless-env", "advisory",
            "aws:elasticbeanstalk:managedactions:platformupdate UpdateLevel is unset: managed platform updates have no "
            "level to apply, so the platform's security patches wait for a manual update; set it to patch or minor, "
            "with aws:elasticbeanstalk:managedactions ManagedActionsEnabled true and a PreferredStartTime"),
    Finding(MANAGED, "shop-basic", "advisory", "UpdateLevel is unset"),
    Finding(LOGS, "unstreamed-env", "advisory",
            "aws:elasticbeanstalk:cloudwatch:logs StreamLogs is false: the instances' proxy, deployment and "
            "application logs stay on the instances and go with them when they are replaced or scaled in; set it true "
            "(and RetentionInDays to what your log policy asks)"),
    # Left out, StreamLogs is false.
    Finding(LOGS, "default-logs-env", "advisory", "aws:elasticbeanstalk:cloudwatch:logs StreamLogs is unset (false)"),
    Finding(LOGS, "shop-basic", "advisory", "StreamLogs is unset (false)"),
]
# Enhanced said outright, in any case, known only after the update; left to a saved configuration that says it.
PASSING = [(HEALTH, "enhanced-env"), (HEALTH, "upper-case-env"), (HEALTH, "later-env"), (HEALTH, "templated-env"),
           (HEALTH, "shop-base"),
           # On with a level, said outright or on by default; left to a saved configuration that says it.
           (MANAGED, "enhanced-env"), (MANAGED, "patched-env"), (MANAGED, "templated-env"), (MANAGED, "shop-base"),
           # Streamed, said outright or known only after the update; left to a saved configuration that says it.
           (LOGS, "enhanced-env"), (LOGS, "later-logs-env"), (LOGS, "templated-env"), (LOGS, "shop-base")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def setting(namespace, name, value):
    return {"namespace": namespace, "name": name, "value": value}


def environment(settings, **props):
    return Res(ENVIRONMENT, "env", {"application": "shop", "solutionStackName": "stack", "tags": DEFAULT_TAGS,
                                    "settings": settings, **props})


@pytest.mark.parametrize("settings, props, reported", [
    ([setting(HEALTH_NS, "SystemType", "enhanced")], {}, False),
    ([setting(HEALTH_NS.upper(), "systemtype", "ENHANCED")], {}, False),
    ([setting(HEALTH_NS, "SystemType", "basic")], {}, True),
    ([], {}, True), (None, {}, True),
    ([setting("aws:elasticbeanstalk:environment", "SystemType", "enhanced")], {}, True),
    # The environment's own setting wins over its saved configuration's; left out, the template decides.
    ([setting(HEALTH_NS, "SystemType", "basic")], {"templateName": "base"}, True),
    ([], {"templateName": "base"}, False), ([], {"templateName": UNKNOWN}, False),
    # Unknowns, and values of another shape, are not judged.
    ([setting(HEALTH_NS, "SystemType", UNKNOWN)], {}, False), (UNKNOWN, {}, False), ([UNKNOWN], {}, False),
    ([setting(UNKNOWN, "SystemType", "basic")], {}, False), ([setting(HEALTH_NS, UNKNOWN, "basic")], {}, False),
    ([setting(HEALTH_NS, "SystemType", {"v": "basic"})], {}, False), (["SystemType=basic"], {}, True)])
def test_an_environment_reports_enhanced_health(settings, props, reported):
    env = environment(settings, **props)
    if settings is None:
        del env.props["settings"]
    assert (HEALTH in policies_found([env])) == reported


@pytest.mark.parametrize("props, reported", [({}, True), ({"environmentId": "e-123"}, False)])
def test_a_saved_configuration_copied_from_an_environment_is_not_judged_on_what_it_leaves_out(props, reported):
    template = Res(TEMPLATE, "base", {"application": "shop", "settings": [], **props})
    assert (HEALTH in policies_found([template])) == reported


@pytest.mark.parametrize("enabled, level, props, reported", [
    ("true", "minor", {}, False), (None, "patch", {}, False), ("TRUE", "PATCH", {}, False),
    (True, "minor", {}, False),
    ("false", "minor", {}, True), (False, None, {}, True), ("true", None, {}, True), (None, None, {}, True),
    ("true", "major", {}, True), ("true", "", {}, True),
    # Left to the template: either option.
    (None, None, {"templateName": "base"}, False), ("true", None, {"templateName": "base"}, False),
    # The environment's own false turns managed updates off, whatever level its template gives.
    ("false", "minor", {"templateName": "base"}, True), ("false", None, {"templateName": "base"}, True),
    ("false", UNKNOWN, {}, True), ("false", ["minor"], {}, True), (None, ["minor"], {}, False),
    # Unknowns, and values of another shape, are not judged.
    (UNKNOWN, None, {}, False), ("true", UNKNOWN, {}, False), ({"on": True}, "minor", {}, False),
    ("true", ["minor"], {}, False)])
def test_an_environment_takes_managed_platform_updates(enabled, level, props, reported):
    settings = [setting(ns, name, value) for ns, name, value in [
        (MANAGED_NS, "ManagedActionsEnabled", enabled), (PLATFORM_UPDATE_NS, "UpdateLevel", level)]
        if value is not None]
    assert (MANAGED in policies_found([environment(settings, **props)])) == reported


@pytest.mark.parametrize("value, props, reported", [
    ("true", {}, False), ("TRUE", {}, False), (True, {}, False), ("false", {}, True), (False, {}, True),
    (None, {}, True), ("yes", {}, True), (None, {"templateName": "base"}, False),
    ("false", {"templateName": "base"}, True),
    (UNKNOWN, {}, False), ({"on": True}, {}, False)])
def test_an_environment_streams_its_logs_to_cloudwatch(value, props, reported):
    settings = [] if value is None else [setting(LOGS_NS, "StreamLogs", value)]
    assert (LOGS in policies_found([environment(settings, **props)])) == reported


@pytest.mark.parametrize("namespace, name", [(LOGS_NS, "StreamLogs"), (LOGS_NS.upper(), "streamlogs"),
                                             ("AWS:ElasticBeanstalk:CloudWatch:Logs", "STREAMLOGS")])
def test_an_option_is_found_whatever_the_case_of_either_side(namespace, name):
    # An entry's namespace and name match in any case (upper-case-env), and so do the ones a policy asks for.
    from guardrails.elasticbeanstalk import option_values
    props = {"settings": [{"namespace": "aws:elasticbeanstalk:cloudwatch:LOGS", "name": "StreamLogs", "value": "true"}]}
    assert option_values(props, namespace, name) == ["true"]
