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


def _without_one(props: Any) -> bool:
    """Whether a cluster names no security configuration (`securityConfiguration` left out or empty; a name known only
    after the update is one)."""
    return not is_set(props, "securityConfiguration")


# What EMR does not do without at-rest encryption; S3 still encrypts the objects under the bucket's default.
_NO_AT_REST = ("no at-rest encryption from EMR: EMRFS adds none of its own to the objects it writes to S3 (they get "
               "only their bucket's default encryption), and EMR encrypts none of the nodes' local disks (instance "
               "store and EBS volumes)")


def _at_rest(props: Any) -> Iterator[str]:
    off = _off(props, "EnableAtRestEncryption")
    if off:
        yield (f"{off}: a cluster that uses this security configuration gets {_NO_AT_REST}; set "
               "EnableAtRestEncryption true, with an AtRestEncryptionConfiguration")


def _cluster_at_rest(props: Any) -> Iterator[str]:
    if _without_one(props):
        yield ("securityConfiguration is not set: EMR applies no security configuration to the cluster, so it gets "
               f"{_NO_AT_REST}; name an aws.emr.SecurityConfiguration whose "
               "EncryptionConfiguration.EnableAtRestEncryption is true")


resource_policy_by_type(
    "emr-security-configuration-encrypted-at-rest", {SECURITY_CONFIGURATION: _at_rest, CLUSTER: _cluster_at_rest},
    description="EMR security configurations must turn on encryption at rest, and clusters must use one: without it "
                "EMR adds no encryption of its own to what a cluster's EMRFS writes to S3, nor to its nodes' local "
                "disks.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EMR.3", "Config emr-security-configuration-encryption-rest"),
    anchor_note="the control judges security configurations only; a cluster that names none is ours",
    checks="""
    a `SecurityConfiguration`'s `configuration` (JSON) has `EncryptionConfiguration.EnableAtRestEncryption` true
    (true or "true"; left out, EMR takes false); a `Cluster` names a `securityConfiguration` (which this policy judges
    where the stack makes it). Unknown values, a document that is no JSON object, and other values are not judged""",
)


def _in_transit(props: Any) -> Iterator[str]:
    off = _off(props, "EnableInTransitEncryption")
    if off:
        yield (f"{off}: clusters that use this security configuration get no in-transit encryption from EMR (TLS "
               "for their applications' traffic between nodes, such as Hadoop's, Spark's and Presto's); set "
               "EnableInTransitEncryption true, with an InTransitEncryptionConfiguration that names the TLS "
               "certificates")


def _cluster_in_transit(props: Any) -> Iterator[str]:
    if _without_one(props):
        yield ("securityConfiguration is not set: EMR applies no security configuration to the cluster, so its "
               "applications' traffic between nodes is not encrypted in transit; name an "
               "aws.emr.SecurityConfiguration whose EncryptionConfiguration.EnableInTransitEncryption is true")


resource_policy_by_type(
    "emr-security-configuration-encrypted-in-transit",
    {SECURITY_CONFIGURATION: _in_transit, CLUSTER: _cluster_in_transit},
    description="EMR security configurations must turn on encryption in transit, and clusters must use one: without "
                "it a cluster's applications send data between its nodes in plain text.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EMR.4", "Config emr-security-configuration-encryption-transit"),
    anchor_note="the control judges security configurations only; a cluster that names none is ours",
    checks="""
    a `SecurityConfiguration`'s `configuration` (JSON) has `EncryptionConfiguration.EnableInTransitEncryption` true
    (true or "true"; left out, EMR takes false); a `Cluster` names a `securityConfiguration` (which this policy judges
    where the stack makes it). Unknown values, a document that is no JSON object, and other values are not judged""",
)
