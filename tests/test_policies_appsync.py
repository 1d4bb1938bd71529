"""AppSync guardrails against tests/programs/policy_appsync (raw GraphQL APIs)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_appsync"
A = "advisory"
LOGGING = "appsync-api-field-logging"
NO_RECORD = ("AppSync writes no field-level log, so a failing or abused resolver leaves no record; set "
             "logConfig.fieldLogLevel ERROR (or ALL) with a cloudwatchLogsRoleArn")

FAILING = [
    Finding(LOGGING, "quiet-graphql", A, f"logConfig.fieldLogLevel is NONE: {NO_RECORD}"),
    Finding(LOGGING, "bare-graphql", A, f"logConfig is left out: {NO_RECORD}"),
]
PASSING = [
    (LOGGING, "orders-graphql"),
    (LOGGING, "catalogue-graphql"),
    # INFO logs errors too.
    (LOGGING, "inventory-graphql"),
    # A level known only after the update.
    (LOGGING, "later-graphql"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def graphql_api(**settings) -> Res:
    return Res("aws:appsync/graphQLApi:GraphQLApi", "orders", {
        "name": "orders", "authenticationType": "AWS_IAM", "tags": DEFAULT_TAGS, **settings})


def logs(level) -> dict:
    return {"logConfig": {"fieldLogLevel": level, "cloudwatchLogsRoleArn": "arn:aws:iam::123456789012:role/logs"}}


@pytest.mark.parametrize("settings, reported", [
    (logs("ERROR"), False), (logs("ALL"), False), (logs("INFO"), False), (logs("DEBUG"), False),
    (logs(UNKNOWN), False), ({"logConfig": UNKNOWN}, False),
    # NONE, or no log configuration: CreateGraphqlApi logs no field.
    (logs("NONE"), True), ({}, True), ({"logConfig": {"cloudwatchLogsRoleArn": "r"}}, True)])
def test_a_graphql_api_logs_resolver_errors(settings, reported):
    assert (LOGGING in policies_found([graphql_api(**settings)])) == reported
