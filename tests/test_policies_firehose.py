"""Amazon Data Firehose guardrails against tests/programs/policy_firehose (raw Firehose streams to S3)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_firehose"
M = "mandatory"
ENCRYPTED = "firehose-delivery-stream-encrypted"
BUFFERED = "Firehose buffers the records producers put without server-side encryption"

FAILING = [
    Finding(ENCRYPTED, "plain-archive", M, f"serverSideEncryption is left out (off): {BUFFERED}; set "
                                           "serverSideEncryption.enabled true"),
    Finding(ENCRYPTED, "cleartext-archive", M, f"serverSideEncryption.enabled is false: {BUFFERED}"),
]
PASSING = [
    (ENCRYPTED, "telemetry-archive"),
    # An AWS owned key passes, as it does Security Hub's DataFirehose.1.
    (ENCRYPTED, "events-archive"),
    # Reading a Kinesis data stream, which keeps the records (and takes no server-side encryption itself).
    (ENCRYPTED, "stream-archive"),
    # A switch known only after the update.
    (ENCRYPTED, "later-archive"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


@pytest.mark.parametrize("settings, reported", [
    ({"serverSideEncryption": {"enabled": True}}, False),
    ({"serverSideEncryption": {"enabled": "true", "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": "k"}}, False),
    ({"serverSideEncryption": UNKNOWN}, False), ({"serverSideEncryption": {"enabled": UNKNOWN}}, False),
    # Left out, the provider's default is off.
    ({}, True), ({"serverSideEncryption": {}}, True), ({"serverSideEncryption": {"enabled": "false"}}, True),
    ({"serverSideEncryption": {"keyType": "CUSTOMER_MANAGED_CMK", "keyArn": "k"}}, True),
    # Streams reading a data stream, an MSK cluster or a database are not judged, even when the source is unknown.
    ({"kinesisSourceConfiguration": {"kinesisStreamArn": "arn:aws:kinesis:stream", "roleArn": "r"}}, False),
    ({"kinesisSourceConfiguration": UNKNOWN}, False),
    ({"mskSourceConfiguration": {"mskClusterArn": "arn:aws:kafka:cluster", "topicName": "t"}}, False),
    ({"databaseSourceConfiguration": {"type": "MySQL"}}, False)])
def test_a_direct_put_stream_encrypts_what_it_buffers(settings, reported):
    stream = Res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "archive", {
        "name": "archive", "destination": "extended_s3", "tags": DEFAULT_TAGS,
        "extendedS3Configuration": {"roleArn": "r", "bucketArn": "arn:aws:s3:::b"}, **settings})
    assert (policies_found([stream]) == {ENCRYPTED}) == reported
