"""AWS DataSync guardrails against tests/programs/policy_datasync (raw tasks)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_datasync"
TASK = "aws:datasync/task:Task"
LOGGING = "datasync-task-logging"

NO_GROUP = ("cloudwatchLogGroupArn is unset: a Basic mode task publishes its logs nowhere, and no record shows a "
            "transfer's errors or what it copied; set the ARN of a log group whose resource policy lets "
            "datasync.amazonaws.com write to it (an Enhanced mode task logs to /aws/datasync by itself)")
FAILING = [
    # Left out (TaskMode BASIC, CreateTask's default), and BASIC said outright.
    Finding(LOGGING, "unlogged-task", "advisory", NO_GROUP),
    Finding(LOGGING, "unlogged-basic-task", "advisory", NO_GROUP),
    Finding(LOGGING, "silent-task", "advisory",
            "options.logLevel is OFF: DataSync publishes no logs of the task's transfers; set BASIC (errors for "
            "individual files) or TRANSFER (every file or object transferred and checked)"),
    # An options block without logLevel: the provider fills in OFF.
    Finding(LOGGING, "default-level-task", "advisory", "options.logLevel is unset (OFF): DataSync publishes no logs"),
]
# BASIC; TRANSFER; Enhanced mode without a log group; no options block (no Options sent); known only after the
# update (the log group, the mode, the level).
PASSING = [(LOGGING, "logged-task"), (LOGGING, "transfer-logged-task"), (LOGGING, "enhanced-task"),
           (LOGGING, "no-options-task"), (LOGGING, "later-log-group-task"), (LOGGING, "later-mode-task"),
           (LOGGING, "later-level-task")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/datasync"


def task(**props):
    """A task passing every policy but where `props` say otherwise (None leaves a property out)."""
    props = {"name": "task", "sourceLocationArn": "arn:aws:datasync:us-east-1:123456789012:location/loc-1",
             "destinationLocationArn": "arn:aws:datasync:us-east-1:123456789012:location/loc-2",
             "cloudwatchLogGroupArn": GROUP, "options": {"logLevel": "BASIC"}, "tags": DEFAULT_TAGS, **props}
    return Res(TASK, "task", {key: value for key, value in props.items() if value is not None})


@pytest.mark.parametrize("group, mode, reported", [
    (GROUP, None, False), (GROUP, "BASIC", False), (None, None, True), ("", None, True), (None, "BASIC", True),
    (None, "ENHANCED", False), (UNKNOWN, None, False), (None, UNKNOWN, False)])
def test_a_basic_mode_task_names_its_log_group(group, mode, reported):
    """CreateTask: for Enhanced mode tasks DataSync sends logs to /aws/datasync by itself; TaskMode BASIC is the
    default."""
    assert (LOGGING in policies_found([task(cloudwatchLogGroupArn=group, taskMode=mode)])) == reported


@pytest.mark.parametrize("options, reported", [
    ({"logLevel": "BASIC"}, False), ({"logLevel": "TRANSFER"}, False), ({"logLevel": "OFF"}, True),
    ({"verifyMode": "NONE"}, True), ({}, True), (None, False), (UNKNOWN, False), ({"logLevel": UNKNOWN}, False)])
def test_a_task_publishes_logs(options, reported):
    """terraform-provider-aws: log_level Default OFF within the options block; without it no Options are sent."""
    assert (LOGGING in policies_found([task(options=options)])) == reported
