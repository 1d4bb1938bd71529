"""Step Functions guardrails against tests/programs/policy_sfn (raw state machines)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_sfn"
LOGGING = "sfn-state-machine-logging"
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/shop/orders-workflow:*"

FAILING = [
    Finding(LOGGING, "silent-workflow", "mandatory", "loggingConfiguration.level is unset (OFF): no execution of the "
                                                     "state machine is logged"),
    Finding(LOGGING, "off-workflow", "mandatory", "loggingConfiguration.level is OFF"),
    Finding(LOGGING, "nowhere-workflow", "mandatory", "loggingConfiguration.level is ALL with no logDestination: "
                                                      "CreateStateMachine refuses a logging level without a log "
                                                      "group's ARN ending in :*"),
]
# Its errors to a log group; a destination known only after the update.
PASSING = [(LOGGING, "orders-workflow"), (LOGGING, "later-workflow")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("logging, reported", [
    ({"level": "ERROR", "logDestination": LOGS}, False), ({"level": "FATAL", "logDestination": LOGS}, False),
    ({"level": "ALL", "logDestination": LOGS}, False), (None, True), ({"level": "OFF", "logDestination": LOGS}, True),
    ({"level": "ERROR"}, True), ({"level": UNKNOWN}, False), ({"level": "ERROR", "logDestination": UNKNOWN}, False),
    (UNKNOWN, False),
    # A log group's ARN as pulumi-aws gives it (no :*), or a name: refused by CreateStateMachine.
    ({"level": "ERROR", "logDestination": LOGS.removesuffix(":*")}, True),
    ({"level": "ERROR", "logDestination": "/shop/orders-workflow"}, True),
    # Off is off, whatever destination a first preview does not know yet.
    ({"level": "OFF", "logDestination": UNKNOWN}, True)])
def test_a_state_machine_logs_its_executions(logging, reported):
    machine = Res("aws:sfn/stateMachine:StateMachine", "workflow", {
        "name": "workflow", "roleArn": "arn:aws:iam::123456789012:role/w", "definition": "{}", "tags": DEFAULT_TAGS,
        **({} if logging is None else {"loggingConfiguration": logging})})
    assert (LOGGING in policies_found([machine])) == reported
