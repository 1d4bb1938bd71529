"""Transfer Family guardrails against tests/programs/policy_transfer (raw servers and connectors)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_transfer"
SERVER = "aws:transfer/server:Server"
CONNECTOR = "aws:transfer/connector:Connector"
NO_FTP, LOGGING = "transfer-server-no-ftp", "transfer-connector-logging"

FAILING = [
    Finding(NO_FTP, "ftp-server", "mandatory",
            "protocols includes FTP: clients send their credentials and files over the network unencrypted; serve "
            "SFTP or FTPS (TLS) instead, and keep any FTP-only client on separate credentials meanwhile"),
    Finding(NO_FTP, "mixed-server", "mandatory", "protocols includes FTP: clients send their credentials"),
    Finding(LOGGING, "silent-connector", "advisory",
            "loggingRole is unset: the connector writes no CloudWatch log of the files it sends or of failed "
            "transfers; set loggingRole to a role that lets Transfer Family write to CloudWatch Logs"),
]
# SFTP and FTPS said outright; left out (CreateServer serves SFTP); known only after the update.
PASSING = [(NO_FTP, "sftp-server"), (NO_FTP, "ftps-server"), (NO_FTP, "default-server"), (NO_FTP, "later-server"),
           # A logging role said outright; one known only after the update.
           (LOGGING, "logged-connector"), (LOGGING, "later-logged-connector")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def server(**props):
    return Res(SERVER, "server", {"tags": DEFAULT_TAGS, **props})


@pytest.mark.parametrize("protocols, reported", [
    (["FTP"], True), (["SFTP", "FTP"], True), ("FTP", True), ([UNKNOWN, "FTP"], True),
    (["SFTP"], False), (["FTPS", "AS2"], False), (None, False), ([], False), (UNKNOWN, False), ([UNKNOWN], False),
    ([{"name": "FTP"}], False)])
def test_a_server_takes_no_plain_ftp(protocols, reported):
    """CreateServer serves SFTP alone where `protocols` is left out."""
    props = {} if protocols is None else {"protocols": protocols}
    assert (NO_FTP in policies_found([server(**props)])) == reported


@pytest.mark.parametrize("role, reported", [
    ("arn:aws:iam::123456789012:role/logs", False), (UNKNOWN, False), (None, True), ("", True)])
def test_a_connector_logs_to_cloudwatch(role, reported):
    """Without LoggingRole, CreateConnector's connector writes no CloudWatch log."""
    props = {"url": "sftp://partner.example.com", "accessRole": "arn:aws:iam::123456789012:role/access",
             "tags": DEFAULT_TAGS, **({} if role is None else {"loggingRole": role})}
    assert (LOGGING in policies_found([Res(CONNECTOR, "connector", props)])) == reported
