"""CloudTrail Lake event data stores: the key their events are encrypted under."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import has_text, lacks_customer_key, peek
from ..core.registry import ADVISORY, resource_policy
from . import EVENT_DATA_STORE


@resource_policy(
    "cloudtrail-event-data-store-kms-encrypted", EVENT_DATA_STORE,
    description="CloudTrail Lake event data stores should encrypt their events with a customer managed KMS key, whose "
                "key policy decides who may query them.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub CloudTrail.10", "Config event-data-store-cmk-encryption-enabled"),
)
def kms_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsKeyId` is set, and is not an AWS managed key's alias (`alias/aws/...`); left out, CloudTrail encrypts the
    events under a key of its own. Once a store has a key, CloudTrail never changes or removes it (botocore's
    CreateEventDataStore and UpdateEventDataStore KmsKeyId), which the finding says; an unknown value is not
    judged"""
    key = peek(args.props, "kmsKeyId")
    if not lacks_customer_key(key):
        return
    state = f"{key}, an AWS managed key" if has_text(key) else "not set, so CloudTrail encrypts it under a key it owns"
    yield (f"kmsKeyId is {state}: no key policy of the account's decides who may query the store's events; set a "
           "customer managed key whose policy lets CloudTrail use it (once set, it cannot be changed or removed)")
