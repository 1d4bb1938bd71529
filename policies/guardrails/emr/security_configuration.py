"""EMR security configurations: a cluster's encryption at rest and in transit is what its security configuration
turns on, and a cluster that names none gets neither.

botocore's emr model: CreateSecurityConfiguration's `SecurityConfiguration` is "The security configuration details
in JSON format" (the EMR management guide's JSON reference), RunJobFlow's `SecurityConfiguration` "The name of a
security configuration to apply to the cluster". The guide's reference: `EncryptionConfiguration`'s
`EnableAtRestEncryption` and `EnableInTransitEncryption`, "If omitted, false is assumed"; its examples write them as
JSON booleans and as "true". pulumi-aws 7: `aws.emr.SecurityConfiguration`'s `configuration` (that JSON, sent as
written by terraform-provider-aws, which only checks that it is JSON; ForceNew) and `aws.emr.Cluster`'s
`securityConfiguration` (a name). Security Hub EMR.3 and EMR.4 (Config emr-security-configuration-encryption-rest and
-transit) judge security configurations only, so a cluster without one passes them: reported here too, as EMR
encrypts nothing of its own for it either way. At rest that is EMRFS's encryption of the objects a cluster writes to
S3 and local disk encryption of its nodes' instance store and EBS volumes (the guide's encryption options); the
objects still get their bucket's default encryption, SSE-S3 at least since January 2023 (the S3 user guide)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import Severity

from ..core.props import is_false, is_map, is_set, json_object, peek
from ..core.registry import resource_policy_by_type
from . import CLUSTER, SECURITY_CONFIGURATION


def _off(props: Any, key: str) -> Optional[str]:
    """Where a security configuration's `configuration` does not turn `EncryptionConfiguration.<key>` on, how it
    reads: `... is false`, `... is left out (false)`, or no EncryptionConfiguration at all; None where it is on, or
    where the document is unknown, not a JSON object, or sets the key to something else (not judged). The guide names
    the keys as written here, which is how they are read."""
    document = json_object(peek(props, "configuration"))
    if not is_map(document):
        return None
    encryption = document.get("EncryptionConfiguration")
    if encryption is None:
        return "configuration has no EncryptionConfiguration"
    if not is_map(encryption):
        return None
    value = encryption.get(key)
    if value is None:
        return f"configuration's EncryptionConfiguration.{key} is left out (false)"
    return f"configuration's EncryptionConfiguration.{key} is false" if is_false(value) else None


def _encryption_policy(name: str, key: str, missing: str, remedy: str, *, description: str, anchors: tuple) -> None:
    """Register the policy on one `EncryptionConfiguration` switch, `key`: a security configuration that does not turn
    it on (`_off`), and a cluster that names no security configuration (`securityConfiguration` left out or empty; a
    name known only after the update is one), get `missing` from EMR; `remedy` is what the switch needs beside it."""

    def configuration(props: Any) -> Iterator[str]:
        off = _off(props, key)
        if off:
            yield (f"{off}: a cluster that uses this security configuration gets {missing}; set {key} true, with "
                   f"{remedy}")

    def cluster(props: Any) -> Iterator[str]:
        if not is_set(props, "securityConfiguration"):
            yield ("securityConfiguration is not set: EMR applies no security configuration to the cluster, so it "
                   f"gets {missing}; name an aws.emr.SecurityConfiguration whose EncryptionConfiguration.{key} is true")

    resource_policy_by_type(
        name, {SECURITY_CONFIGURATION: configuration, CLUSTER: cluster}, description=description,
        severity=Severity.MEDIUM, anchors=anchors,
        anchor_note="the control judges security configurations only; a cluster that names none is ours",
        checks=f"""
        a `SecurityConfiguration`'s `configuration` (JSON) has `EncryptionConfiguration.{key}` true (true or "true";
        left out, EMR takes false); a `Cluster` names a `securityConfiguration` (which this policy judges where the
        stack makes it). Unknown values, a document that is no JSON object, and other values are not judged""",
    )


# S3 still encrypts the objects EMRFS writes under their bucket's default: what EMR leaves out is its own encryption.
_encryption_policy(
    "emr-security-configuration-encrypted-at-rest", "EnableAtRestEncryption",
    "no at-rest encryption from EMR: EMRFS adds none of its own to the objects it writes to S3 (they get only their "
    "bucket's default encryption), and EMR encrypts none of the nodes' local disks (instance store and EBS volumes)",
    "an AtRestEncryptionConfiguration",
    description="EMR security configurations must turn on encryption at rest, and clusters must use one: without it "
                "EMR adds no encryption of its own to what a cluster's EMRFS writes to S3, nor to its nodes' local "
                "disks.",
    anchors=("Security Hub EMR.3", "Config emr-security-configuration-encryption-rest"),
)
_encryption_policy(
    "emr-security-configuration-encrypted-in-transit", "EnableInTransitEncryption",
    "no in-transit encryption from EMR (TLS for its applications' traffic between nodes, such as Hadoop's, Spark's "
    "and Presto's)",
    "an InTransitEncryptionConfiguration that names the TLS certificates",
    description="EMR security configurations must turn on encryption in transit, and clusters must use one: without "
                "it a cluster's applications send data between its nodes in plain text.",
    anchors=("Security Hub EMR.4", "Config emr-security-configuration-encryption-transit"),
)
