"""Kinesis Data Streams guardrails against tests/programs/policy_kinesis (raw data streams)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_kinesis"
M = "mandatory"
ENCRYPTED = "kinesis-stream-encrypted"
ADVICE = "set encryptionType KMS with kmsKeyId (alias/aws/kinesis, or a customer managed key)"

FAILING = [
    Finding(ENCRYPTED, "plain-telemetry", M, "encryptionType is unset (NONE): Kinesis keeps the stream's records "
                                             f"unencrypted for its whole retention period; {ADVICE}"),
    Finding(ENCRYPTED, "cleartext-telemetry", M, "encryptionType is NONE: Kinesis keeps the stream's records "
                                                 "unencrypted"),
]
PASSING = [
    (ENCRYPTED, "device-telemetry"),
    # Kinesis's AWS managed key passes, as it does Security Hub's Kinesis.1.
    (ENCRYPTED, "device-events"),
    # An encryption type known only after the update.
    (ENCRYPTED, "later-telemetry"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("settings, reported", [
    ({"encryptionType": "KMS", "kmsKeyId": "alias/aws/kinesis"}, False),
    ({"encryptionType": "KMS", "kmsKeyId": UNKNOWN}, False), ({"encryptionType": UNKNOWN}, False),
    # Left out, the provider sends NONE: CreateStream takes no encryption setting.
    ({}, True), ({"encryptionType": "NONE"}, True), ({"encryptionType": ""}, True),
    ({"kmsKeyId": "alias/aws/kinesis"}, True)])
def test_a_stream_keeps_its_records_encrypted(settings, reported):
    stream = Res("aws:kinesis/stream:Stream", "telemetry", {"name": "telemetry", "tags": DEFAULT_TAGS, **settings})
    assert (policies_found([stream]) == {ENCRYPTED}) == reported
