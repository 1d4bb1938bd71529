"""Transfer Family guardrails against tests/programs/policy_transfer (raw servers and connectors)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_transfer"
SERVER = "aws:transfer/server:Server"
NO_FTP = "transfer-server-no-ftp"

FAILING = [
    Finding(NO_FTP, "ftp-server", "mandatory",
            "protocols includes FTP: clients send their credentials and files over the network unencrypted; serve "
            "SFTP or FTPS (TLS) instead, and keep any FTP-only client on separate credentials meanwhile"),
    Finding(NO_FTP, "mixed-server", "mandatory", "protocols includes FTP: clients send their credentials"),
]
# SFTP and FTPS said outright; left out (CreateServer serves SFTP); known only after the update.
PASSING = [(NO_FTP, "sftp-server"), (NO_FTP, "ftps-server"), (NO_FTP, "default-server"), (NO_FTP, "later-server")]


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
