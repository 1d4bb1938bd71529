"""Amazon Redshift Serverless guardrails against tests/programs/policy_redshiftserverless (raw namespaces and
workgroups)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_redshiftserverless"
WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
NOT_PUBLIC, SSL = "redshiftserverless-workgroup-not-public", "redshiftserverless-workgroup-require-ssl"
ROUTING = "redshiftserverless-workgroup-enhanced-vpc-routing"
NAMESPACE = "aws:redshiftserverless/namespace:Namespace"
CMK, ADMIN = "redshiftserverless-namespace-cmk", "redshiftserverless-namespace-admin-username"
LOGS = "redshiftserverless-namespace-log-exports"

FAILING = [
    Finding(NOT_PUBLIC, "public-workgroup", "mandatory",
            "publiclyAccessible is true: Amazon Redshift gives the workgroup an Elastic IP address that takes "
            "connections from outside its VPC; leave it out or set false, and reach it through the VPC, a VPN or "
            "peering"),
    Finding(SSL, "plain-workgroup", "mandatory",
            "configParameters' require_ssl is false: the workgroup accepts connections without SSL, whose queries, "
            "results and credentials cross the network in plain text; set its parameterValue true (removing the "
            "entry leaves the workgroup as it is; Redshift Serverless restarts the workgroup to apply it)"),
    Finding(ROUTING, "internet-routed-workgroup", "advisory",
            "enhancedVpcRouting is false: Amazon Redshift routes the workgroup's COPY and UNLOAD traffic through the "
            "internet, past the VPC's security groups, endpoint policies and flow logs; set true (the subnets then "
            "need a route to the data, such as an S3 gateway endpoint)"),
    # Left out, the provider sends none, and the workgroup routes that traffic over the internet.
    Finding(ROUTING, "unrouted-workgroup", "advisory", "enhancedVpcRouting is unset (false): Amazon Redshift routes"),
    Finding(CMK, "owned-key-namespace", "advisory",
            "kmsKeyId is unset (a key of AWS's): the namespace's data and snapshots are encrypted under a key whose "
            "policy, grants, rotation and state the account does not control; set kmsKeyId the ARN of a customer "
            "managed key"),
    Finding(CMK, "managed-key-namespace", "advisory", "kmsKeyId is an AWS managed key: the namespace's data"),
    Finding(ADMIN, "admin-namespace", "advisory",
            "adminUsername is admin, the default admin user name: a brute-force attack needs to guess only the "
            "password; choose another name (UpdateNamespace changes it together with the password)"),
    Finding(ADMIN, "password-only-namespace", "advisory",
            "adminUsername is unset (admin: given a password, terraform-provider-aws names the user so), the default "
            "admin user name"),
    # Left out, the provider sends none and the namespace exports no logs.
    Finding(LOGS, "silent-namespace", "advisory",
            "logExports does not hold connectionlog and userlog: no record in CloudWatch Logs shows who connected to "
            "the namespace, or who created, changed or dropped its database users; add connectionlog and userlog"),
    Finding(LOGS, "activity-log-namespace", "advisory", "logExports does not hold connectionlog and userlog:"),
]
# Private said outright; left out (the provider sends none); known only after the update.
PASSING = [(NOT_PUBLIC, "private-workgroup"), (NOT_PUBLIC, "default-workgroup"), (NOT_PUBLIC, "later-workgroup"),
           # SSL only, beside another parameter; left out (a new workgroup's default is true); known only after the
           # update.
           (SSL, "ssl-workgroup"), (SSL, "default-workgroup"), (SSL, "unset-ssl-workgroup"),
           (SSL, "later-ssl-workgroup"),
           # Routed through the VPC; known only after the update.
           (ROUTING, "default-workgroup"), (ROUTING, "later-routed-workgroup"),
           # A customer managed key; known only after the update.
           (CMK, "warehouse"), (CMK, "later-key-namespace"),
           # Another name; none; known only after the update.
           (ADMIN, "custom-admin-namespace"), (ADMIN, "warehouse"), (ADMIN, "later-admin-namespace"),
           # Both logs; all three; known only after the update.
           (LOGS, "warehouse"), (LOGS, "logged-namespace"), (LOGS, "later-logged-namespace")]


result, first_preview = program_fixtures(PROGRAM)
SSL_ON = {"parameterKey": "require_ssl", "parameterValue": "true"}


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def workgroup(**props):
    """A workgroup passing every policy but where `props` say otherwise (None leaves a property out)."""
    props = {"workgroupName": "workgroup", "namespaceName": "warehouse", "configParameters": [SSL_ON],
             "enhancedVpcRouting": True, "tags": DEFAULT_TAGS, **props}
    return Res(WORKGROUP, "workgroup", {key: value for key, value in props.items() if value is not None})


@pytest.mark.parametrize("accessible, reported", [
    (True, True), ("true", True), (False, False), ("false", False), (None, False), (UNKNOWN, False)])
def test_a_workgroup_has_no_public_address(accessible, reported):
    """terraform-provider-aws sends PubliclyAccessible only when true: left out, the workgroup is private."""
    assert (NOT_PUBLIC in policies_found([workgroup(publiclyAccessible=accessible)])) == reported


@pytest.mark.parametrize("parameters, reported", [
    ([SSL_ON], False), ([{"parameterKey": "datestyle", "parameterValue": "ISO, MDY"}, SSL_ON], False),
    ([{"parameterKey": "require_ssl", "parameterValue": "TRUE"}], False),
    ([{"parameterKey": "require_ssl", "parameterValue": "false"}], True),
    ([{"parameterKey": "datestyle", "parameterValue": "ISO, MDY"},
      {"parameterKey": "require_ssl", "parameterValue": "False"}], True),
    # AWS names its parameters in lower case: no other parameter differs from require_ssl in case alone.
    ([{"parameterKey": "REQUIRE_SSL", "parameterValue": "false"}], True),
    # A boolean for the text value: the bridge sends it as "false" or "true".
    ([{"parameterKey": "require_ssl", "parameterValue": False}], True),
    ([{"parameterKey": "require_ssl", "parameterValue": True}], False),
    # Left out, a new workgroup requires SSL (CreateWorkgroup refuses false).
    (None, False), ([], False), ([{"parameterKey": "use_fips_ssl", "parameterValue": "true"}], False),
    # Unknown until the update: the list, an entry, its key or value; a value neither true nor false is not judged.
    (UNKNOWN, False), ([UNKNOWN], False), ([{"parameterKey": UNKNOWN, "parameterValue": "true"}], False),
    ([{"parameterKey": "require_ssl", "parameterValue": UNKNOWN}], False),
    ([{"parameterKey": "require_ssl", "parameterValue": "maybe"}], False),
    # The provider sends the entries as a set: two that disagree have no defined winner.
    ([SSL_ON, {"parameterKey": "require_ssl", "parameterValue": "false"}], False)])
def test_a_workgroup_takes_ssl_connections_only(parameters, reported):
    """AWS sets require_ssl true on a new workgroup and refuses false at creation; the provider sends the entries as
    given, and only an explicit false turns SSL off (UpdateWorkgroup)."""
    assert (SSL in policies_found([workgroup(configParameters=parameters)])) == reported


@pytest.mark.parametrize("value, said", [
    ("false", "false"), (False, "false"), ("FALSE", '"FALSE" (false)')])
def test_a_require_ssl_finding_quotes_the_value_as_written(value, said):
    resource = workgroup(configParameters=[{"parameterKey": "require_ssl", "parameterValue": value}])
    messages = {m for p, _, m in findings(analyze([resource])) if p == SSL}
    assert len(messages) == 1 and next(iter(messages)).startswith(
        f"configParameters' require_ssl is {said}: the workgroup accepts connections without SSL"), messages


@pytest.mark.parametrize("routing, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_workgroup_routes_its_traffic_through_the_vpc(routing, reported):
    """terraform-provider-aws sends EnhancedVpcRouting only when true: left out, it is off."""
    assert (ROUTING in policies_found([workgroup(enhancedVpcRouting=routing)])) == reported


KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"


def namespace(**props):
    """A namespace passing every policy but where `props` say otherwise (None leaves a property out)."""
    props = {"namespaceName": "warehouse", "kmsKeyId": KEY_ARN, "logExports": ["connectionlog", "userlog"],
             "tags": DEFAULT_TAGS, **props}
    return Res(NAMESPACE, "warehouse", {key: value for key, value in props.items() if value is not None})


@pytest.mark.parametrize("key, reported", [
    (KEY_ARN, False), ("arn:aws:kms:us-east-1:123456789012:alias/warehouse", False), (None, True), ("", True),
    ("arn:aws:kms:us-east-1:123456789012:alias/aws/redshift", True), (UNKNOWN, False)])
def test_a_namespace_is_encrypted_with_a_customer_managed_key(key, reported):
    assert (CMK in policies_found([namespace(kmsKeyId=key)])) == reported


@pytest.mark.parametrize("name, reported", [
    ("admin", True), ("Admin", True), ("ADMIN", True), ("warehouse_owner", False), ("administrator", False),
    (None, False), (UNKNOWN, False), (["admin"], False)])
def test_a_namespace_does_not_use_the_default_admin_user_name(name, reported):
    assert (ADMIN in policies_found([namespace(adminUsername=name)])) == reported


@pytest.mark.parametrize("credentials, reported", [
    # terraform-provider-aws plans admin_username admin for a password given without a name.
    ({"adminUserPassword": "Correct-Horse-Battery-9"}, True), ({"adminUserPasswordWo": "Correct-Horse-9"}, True),
    ({"adminUserPassword": UNKNOWN}, True),
    ({"adminUserPassword": "Correct-Horse-Battery-9", "adminUsername": "warehouse_owner"}, False),
    ({"adminUserPassword": "Correct-Horse-Battery-9", "adminUsername": UNKNOWN}, False),
    ({"manageAdminPassword": True}, False), ({}, False)])
def test_a_password_without_a_user_name_makes_the_default_admin(credentials, reported):
    assert (ADMIN in policies_found([namespace(**credentials)])) == reported


@pytest.mark.parametrize("logs, reported", [
    (["connectionlog", "userlog"], False), (["userlog", "useractivitylog", "connectionlog"], False), (None, True),
    ([], True), (["connectionlog"], True), (["userlog", "useractivitylog"], True), (["ConnectionLog", "userlog"], True),
    # Unknown until the update: the list, or an item (which may be the one missing).
    (UNKNOWN, False), ([UNKNOWN, "userlog"], False)])
def test_a_namespace_exports_its_connection_and_user_logs(logs, reported):
    assert (LOGS in policies_found([namespace(logExports=logs)])) == reported
