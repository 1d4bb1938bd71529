"""AppSync guardrails against tests/programs/policy_appsync (raw GraphQL and Event APIs, and Event API channel
namespaces)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_appsync"
M, A = "mandatory", "advisory"
LOGGING = "appsync-api-field-logging"
API_KEY = "appsync-api-no-api-key-auth"
CONFIG = {API_KEY: {"exemptApis": ["storefront-*"], "exemptNamespaces": ["storefront-*"]}}
NO_RECORD = ("AppSync writes no field-level log, so a failing or abused resolver leaves no record; set "
             "logConfig.fieldLogLevel ERROR (or ALL) with a cloudwatchLogsRoleArn")
NO_HANDLER_RECORD = ("AppSync writes no handler log, so a failing or abused event handler leaves no record; set "
                     "eventConfig.logConfig.logLevel ERROR (or ALL) with a cloudwatchLogsRoleArn")
KEY_HOLDERS = ("is API_KEY: anyone holding the API's key (sent as x-api-key, shipped in every client) may call it, "
               "and no call names its caller; use AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA, "
               "or name")
SHARED_KEY = f"{KEY_HOLDERS} an API that serves a public application in exemptApis"
NAMESPACE_KEY = f"{KEY_HOLDERS} a namespace that serves a public application in exemptNamespaces"

FAILING = [
    Finding(LOGGING, "quiet-graphql", A, f"logConfig.fieldLogLevel is NONE: {NO_RECORD}"),
    Finding(LOGGING, "bare-graphql", A, f"logConfig is left out: {NO_RECORD}"),
    Finding(LOGGING, "quiet-events", A, f"eventConfig.logConfig.logLevel is NONE: {NO_HANDLER_RECORD}"),
    Finding(LOGGING, "bare-events", A, f"eventConfig.logConfig is left out: {NO_HANDLER_RECORD}"),
    Finding(API_KEY, "keyed-graphql", M, f"authenticationType {SHARED_KEY}"),
    Finding(API_KEY, "mixed-graphql", M, f"additionalAuthenticationProviders[1].authenticationType {SHARED_KEY}"),
    Finding(API_KEY, "keyed-events", M, f"eventConfig.connectionAuthModes[0].authType {SHARED_KEY}"),
    Finding(API_KEY, "keyed-events", M, f"eventConfig.defaultPublishAuthModes[0].authType {SHARED_KEY}"),
    Finding(API_KEY, "keyed-events", M, f"eventConfig.defaultSubscribeAuthModes[0].authType {SHARED_KEY}"),
    Finding(API_KEY, "mixed-events", M, f"eventConfig.defaultSubscribeAuthModes[1].authType {SHARED_KEY}"),
    Finding(API_KEY, "keyed-ns", M, f"publishAuthModes[0].authType {NAMESPACE_KEY}"),
    Finding(API_KEY, "mixed-ns", M, f"subscribeAuthModes[1].authType {NAMESPACE_KEY}"),
]
PASSING = [
    (LOGGING, "orders-graphql"),
    (LOGGING, "catalogue-graphql"),
    # INFO logs errors too.
    (LOGGING, "inventory-graphql"),
    # A level known only after the update.
    (LOGGING, "later-graphql"),
    (LOGGING, "orders-events"),
    # DEBUG logs errors too.
    (LOGGING, "telemetry-events"),
    (LOGGING, "later-events"),
    (API_KEY, "orders-graphql"),
    # Cognito user pools, with IAM as an additional mode.
    (API_KEY, "catalogue-graphql"),
    # A public application's API, named in exemptApis.
    (API_KEY, "storefront-graphql"),
    # A mode known only after the update.
    (API_KEY, "later-auth-graphql"),
    (API_KEY, "orders-events"),
    # An API key offered as a provider that no default mode takes admits no caller.
    (API_KEY, "offered-key-events"),
    (API_KEY, "storefront-events"),
    (API_KEY, "later-auth-events"),
    # The API's own modes apply; an IAM and Lambda override.
    (API_KEY, "orders-ns"),
    (API_KEY, "audit-ns"),
    (API_KEY, "storefront-ns"),
    (API_KEY, "later-ns"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


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


def event_api(**event_config) -> Res:
    modes = [{"authType": "AWS_IAM"}]
    return Res("aws:appsync/api:Api", "orders-events", {"name": "orders-events", "tags": DEFAULT_TAGS, "eventConfig": {
        "authProviders": modes, "connectionAuthModes": modes, "defaultPublishAuthModes": modes,
        "defaultSubscribeAuthModes": modes, **event_config}})


def event_logs(level) -> dict:
    return {"logConfig": {"logLevel": level, "cloudwatchLogsRoleArn": "arn:aws:iam::123456789012:role/logs"}}


@pytest.mark.parametrize("settings, reported", [
    (event_logs("ERROR"), False), (event_logs("ALL"), False), (event_logs("INFO"), False), (event_logs("DEBUG"), False),
    (event_logs(UNKNOWN), False), ({"logConfig": UNKNOWN}, False),
    # NONE, or no log configuration: CreateApi logs nothing.
    (event_logs("NONE"), True), ({}, True), ({"logConfig": {"cloudwatchLogsRoleArn": "r"}}, True)])
def test_an_event_api_logs_handler_errors(settings, reported):
    assert (LOGGING in policies_found([event_api(**settings)])) == reported


def test_an_event_api_known_only_after_the_update_is_not_judged():
    api = Res("aws:appsync/api:Api", "orders-events", {"name": "orders-events", "eventConfig": UNKNOWN})
    assert LOGGING not in policies_found([api])


@pytest.mark.parametrize("settings, reported", [
    ({}, False), ({"authenticationType": "AWS_LAMBDA"}, False), ({"authenticationType": UNKNOWN}, False),
    ({"additionalAuthenticationProviders": [{"authenticationType": "OPENID_CONNECT"}]}, False),
    ({"additionalAuthenticationProviders": UNKNOWN}, False),
    ({"additionalAuthenticationProviders": [UNKNOWN, {"authenticationType": UNKNOWN}]}, False),
    ({"authenticationType": "API_KEY"}, True),
    ({"additionalAuthenticationProviders": [{"authenticationType": "API_KEY"}]}, True),
    # A known API_KEY is reported whatever else is unknown.
    ({"authenticationType": UNKNOWN, "additionalAuthenticationProviders": [UNKNOWN, {"authenticationType": "API_KEY"}]},
     True)])
def test_a_graphql_api_takes_no_api_key(settings, reported):
    assert (API_KEY in policies_found([graphql_api(**logs("ERROR"), **settings)])) == reported


def event_modes(**modes) -> dict:
    """Auth mode lists of an Event API's eventConfig, each given as its auth types (or UNKNOWN)."""
    return {key: [{"authType": t} for t in types] if isinstance(types, list) else types for key, types in modes.items()}


@pytest.mark.parametrize("modes, reported", [
    ({}, False), (event_modes(authProviders=["AWS_IAM", "API_KEY"]), False),
    (event_modes(connectionAuthModes=UNKNOWN, defaultPublishAuthModes=[UNKNOWN]), False),
    ({"defaultSubscribeAuthModes": [UNKNOWN, {"authType": UNKNOWN}]}, False),
    (event_modes(connectionAuthModes=["API_KEY"]), True),
    (event_modes(defaultPublishAuthModes=["AWS_LAMBDA", "API_KEY"]), True),
    # A known API_KEY is reported whatever else is unknown.
    (event_modes(connectionAuthModes=UNKNOWN, defaultSubscribeAuthModes=[UNKNOWN, "API_KEY"]), True)])
def test_an_event_api_takes_no_api_key(modes, reported):
    assert (API_KEY in policies_found([event_api(**event_logs("ERROR"), **modes)])) == reported


def test_an_event_api_serving_a_public_application_may_be_exempted():
    api = event_api(**event_logs("ERROR"), **event_modes(defaultPublishAuthModes=["API_KEY"]))
    assert API_KEY not in policies_found([api], {API_KEY: {"exemptApis": ["orders-*"]}})
    assert API_KEY in policies_found([api], {API_KEY: {"exemptApis": ["storefront-*"]}})


def channel_namespace(name="orders", **modes) -> Res:
    return Res("aws:appsync/channelNamespace:ChannelNamespace", "orders-ns", {
        "name": name, "apiId": "abcdefghijklmnopqrstuvwxyz", "tags": DEFAULT_TAGS, **event_modes(**modes)})


@pytest.mark.parametrize("modes, reported", [
    ({}, False), ({"publishAuthModes": ["AWS_IAM"], "subscribeAuthModes": ["AMAZON_COGNITO_USER_POOLS"]}, False),
    ({"publishAuthModes": UNKNOWN, "subscribeAuthModes": [UNKNOWN]}, False),
    ({"publishAuthModes": ["API_KEY"]}, True), ({"subscribeAuthModes": ["OPENID_CONNECT", "API_KEY"]}, True),
    # A known API_KEY is reported whatever else is unknown.
    ({"publishAuthModes": UNKNOWN, "subscribeAuthModes": [UNKNOWN, "API_KEY"]}, True)])
def test_a_channel_namespace_takes_no_api_key(modes, reported):
    assert (API_KEY in policies_found([channel_namespace(**modes)])) == reported


@pytest.mark.parametrize("name, exempt", [("storefront", True), ("orders", False), (UNKNOWN, True)])
def test_a_namespace_serving_a_public_application_may_be_exempted(name, exempt):
    keyed = channel_namespace(name, publishAuthModes=["API_KEY"])
    config = {API_KEY: {"exemptNamespaces": ["storefront*"]}}
    assert (API_KEY in policies_found([keyed], config)) != exempt
    # exemptApis names APIs, not namespaces.
    assert API_KEY in policies_found([keyed], {API_KEY: {"exemptApis": ["storefront*", "orders*"]}})


@pytest.mark.parametrize("name, exempt", [("storefront", True), ("storefront_public", True), ("orders", False),
                                          (UNKNOWN, True)])
def test_an_api_serving_a_public_application_may_be_exempted(name, exempt):
    api = graphql_api(**logs("ERROR"), authenticationType="API_KEY", name=name)
    config = {API_KEY: {"exemptApis": ["storefront*"]}}
    assert (API_KEY in policies_found([api], config)) != exempt
