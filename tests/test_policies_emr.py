"""Amazon EMR guardrails against tests/programs/policy_emr (raw block public access settings, security
configurations and clusters)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_emr"
M = "mandatory"
BLOCK_PUBLIC_ACCESS = "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration"
SECURITY_CONFIGURATION, CLUSTER = "aws:emr/securityConfiguration:SecurityConfiguration", "aws:emr/cluster:Cluster"
BPA_ON, AT_REST = "emr-block-public-access-on", "emr-security-configuration-encrypted-at-rest"
IN_TRANSIT = "emr-security-configuration-encrypted-in-transit"
PRIVATE_SUBNET, SUBNET_PUBLIC_IP = "emr-cluster-primary-node-private-subnet", "ec2-subnet-no-public-ip-on-launch"
SUBNET = "aws:ec2/subnet:Subnet"
# S3 still encrypts the objects under the bucket's default (SSE-S3 at least): EMR adds nothing of its own.
NO_AT_REST = ("no at-rest encryption from EMR: EMRFS adds none of its own to the objects it writes to S3 (they get only "
              "their bucket's default encryption), and EMR encrypts none of the nodes' local disks (instance store and "
              "EBS volumes)")
GETS_NO_AT_REST = (f"a cluster that uses this security configuration gets {NO_AT_REST}; set EnableAtRestEncryption "
                   "true, with an AtRestEncryptionConfiguration")
NO_TLS = ("no in-transit encryption from EMR (TLS for its applications' traffic between nodes, such as Hadoop's, "
          "Spark's and Presto's)")
GETS_NO_TLS = (f"a cluster that uses this security configuration gets {NO_TLS}; set EnableInTransitEncryption true, "
               "with an InTransitEncryptionConfiguration that names the TLS certificates")

FAILING = [
    Finding(BPA_ON, "bpa-off", M, "blockPublicSecurityGroupRules is false: block public access for the account's EMR "
                                  "clusters in the region is off, so a cluster launches in a public subnet even when "
                                  "its security groups let 0.0.0.0/0 or ::/0 in on any port; set it true"),
    Finding(BPA_ON, "bpa-web-open", M, "permittedPublicSecurityGroupRuleRanges permits 80, 8000-8999: EMR launches "
                                       "clusters whose security groups let 0.0.0.0/0 or ::/0 in on those ports; permit "
                                       "port 22 alone"),
    Finding(AT_REST, "rest-off", M, f"configuration's EncryptionConfiguration.EnableAtRestEncryption is false: "
                                    f"{GETS_NO_AT_REST}"),
    Finding(AT_REST, "rest-unset", M, "configuration's EncryptionConfiguration.EnableAtRestEncryption is left out "
                                      f"(false): {GETS_NO_AT_REST}"),
    Finding(AT_REST, "no-encryption", M, f"configuration has no EncryptionConfiguration: {GETS_NO_AT_REST}"),
    Finding(AT_REST, "unconfigured", M, "securityConfiguration is not set: EMR applies no security configuration to "
                                        f"the cluster, so it gets {NO_AT_REST}; name an aws.emr.SecurityConfiguration "
                                        "whose EncryptionConfiguration.EnableAtRestEncryption is true"),
    # "false", as the EMR guide's example writes its booleans.
    Finding(IN_TRANSIT, "transit-off", M, "configuration's EncryptionConfiguration.EnableInTransitEncryption is "
                                          f"false: {GETS_NO_TLS}"),
    Finding(IN_TRANSIT, "transit-unset", M, "configuration's EncryptionConfiguration.EnableInTransitEncryption is "
                                            f"left out (false): {GETS_NO_TLS}"),
    Finding(IN_TRANSIT, "no-encryption", M, f"configuration has no EncryptionConfiguration: {GETS_NO_TLS}"),
    Finding(IN_TRANSIT, "unconfigured", M, "securityConfiguration is not set: EMR applies no security configuration "
                                           f"to the cluster, so it gets {NO_TLS}; name an "
                                           "aws.emr.SecurityConfiguration whose "
                                           "EncryptionConfiguration.EnableInTransitEncryption is true"),
    Finding(PRIVATE_SUBNET, "in-public-subnet", M, "ec2Attributes puts the cluster in subnet emr-public, which gives "
                                                   "what launches into it a public IPv4 address (mapPublicIpOnLaunch): "
                                                   "the primary node gets one, which cannot be taken away after "
                                                   "launch; launch the cluster in a private subnet"),
    # A default subnet left as AWS made it; one of an instance fleet's subnets.
    Finding(PRIVATE_SUBNET, "in-default-subnet", M, "ec2Attributes puts the cluster in subnet emr-default, which "
                                                    "gives what launches into it a public IPv4 address"),
    Finding(PRIVATE_SUBNET, "fleet-with-public-subnet", M, "ec2Attributes puts the cluster in subnet emr-public, "
                                                           "which gives what launches into it a public IPv4 address"),
    # The subnets themselves, by their own policy.
    Finding(SUBNET_PUBLIC_IP, "emr-public", M, "mapPublicIpOnLaunch is true: everything launched into the subnet gets "
                                               "a public IPv4 address"),
    Finding(SUBNET_PUBLIC_IP, "emr-default", M, "mapPublicIpOnLaunch is not set on a default subnet, whose AWS "
                                                "default is true"),
]
PASSING = [
    # On with port 22 alone; on, known only after the update.
    (BPA_ON, "bpa-ssh-only"), (BPA_ON, "bpa-later"),
    # A JSON boolean, or "true" as the EMR guide's example writes it; a document known only after the update; a
    # cluster that names a security configuration.
    (AT_REST, "encrypted"), (AT_REST, "quoted"), (AT_REST, "later"), (AT_REST, "analytics"),
    (IN_TRANSIT, "encrypted"), (IN_TRANSIT, "quoted"), (IN_TRANSIT, "later"), (IN_TRANSIT, "analytics"),
    # Each switch is judged by its own policy: "true" (rest-unset) and true (rest-off) in transit, at rest off.
    (IN_TRANSIT, "rest-off"), (IN_TRANSIT, "rest-unset"), (AT_REST, "transit-off"), (AT_REST, "transit-unset"),
    # Private subnets (an instance group's, a fleet's); a subnet from outside the stack; the private one of two picked
    # by a value known only after the update.
    (PRIVATE_SUBNET, "in-private-subnet"), (PRIVATE_SUBNET, "fleet-in-private-subnets"), (PRIVATE_SUBNET, "analytics"),
    (PRIVATE_SUBNET, "picked-private-subnet"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def block_public_access(**props) -> Res:
    return Res(BLOCK_PUBLIC_ACCESS, "bpa", props)


@pytest.mark.parametrize("rules, ranges, reported", [
    (False, None, True), ("false", None, True), (True, None, False), ("true", None, False), (UNKNOWN, None, False),
    # Port 22 alone, as one port or with MaxRange left out (the API's is optional).
    (True, [{"minRange": 22, "maxRange": 22}], False), (True, [{"minRange": 22}], False),
    (True, [{"minRange": 22, "maxRange": 23}], True), (True, [{"minRange": 443}], True),
    (True, [{"minRange": "8080", "maxRange": "8080"}], True),
    # Unknown or odd bounds are not judged; nor are exceptions while the switch itself is unknown.
    (True, [{"minRange": UNKNOWN, "maxRange": 80}], False), (True, [{"minRange": True}], False),
    (True, [UNKNOWN], False), (UNKNOWN, [{"minRange": 80, "maxRange": 80}], False)])
def test_block_public_access_stays_on_with_port_22_alone(rules, ranges, reported):
    """Security Hub EMR.2 fails a setting that is off or permits any port other than 22."""
    props = {"blockPublicSecurityGroupRules": rules}
    if ranges is not None:
        props["permittedPublicSecurityGroupRuleRanges"] = ranges
    assert (BPA_ON in policies_found([block_public_access(**props)])) == reported


def security_configuration(configuration) -> Res:
    text = configuration if isinstance(configuration, str) or configuration is UNKNOWN else json.dumps(configuration)
    return Res(SECURITY_CONFIGURATION, "config", {"name": "config", "configuration": text})


ENCRYPTION_SWITCHES = [(AT_REST, "EnableAtRestEncryption"), (IN_TRANSIT, "EnableInTransitEncryption")]


LEFT_OUT = object()


@pytest.mark.parametrize("policy, key", ENCRYPTION_SWITCHES)
@pytest.mark.parametrize("value, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (LEFT_OUT, True), ("yes", False)])
def test_a_security_configuration_encrypts_at_rest_and_in_transit(policy, key, value, reported):
    """Security Hub EMR.3 and EMR.4; the EMR guide's JSON reference: "If omitted, false is assumed" (an odd value is
    not judged)."""
    encryption = {} if value is LEFT_OUT else {key: value}
    assert (policy in policies_found([security_configuration({"EncryptionConfiguration": encryption})])) == reported


@pytest.mark.parametrize("policy", [AT_REST, IN_TRANSIT])
@pytest.mark.parametrize("configuration, reported", [
    ({"AuthenticationConfiguration": {}}, True),
    # Not judged: an odd block; unknown until the update; not JSON (the provider refuses it); not an object.
    ({"EncryptionConfiguration": []}, False), (UNKNOWN, False), ("{not json", False), ("[]", False)])
def test_a_security_configuration_without_encryption_settings(policy, configuration, reported):
    assert (policy in policies_found([security_configuration(configuration)])) == reported


def emr_cluster(**props) -> Res:
    return Res(CLUSTER, "c", {"name": "c", "releaseLabel": "emr-7.5.0", "serviceRole": "EMR_DefaultRole",
                              "tags": DEFAULT_TAGS, "masterInstanceGroup": {"instanceType": "m5.xlarge"}, **props})


@pytest.mark.parametrize("policy", [AT_REST, IN_TRANSIT])
@pytest.mark.parametrize("name, reported", [("config", False), (UNKNOWN, False), (None, True), ("", True)])
def test_a_cluster_names_a_security_configuration(policy, name, reported):
    props = {"ec2Attributes": {"instanceProfile": "EMR_EC2", "subnetId": "subnet-1"}}
    if name is not None:
        props["securityConfiguration"] = name
    assert (policy in policies_found([emr_cluster(**props)])) == reported


@pytest.mark.parametrize("maps_public_ips, ec2_attributes, reported", [
    (True, {"subnetId": "subnet-public"}, True), ("true", {"subnetId": "subnet-public"}, True),
    (True, {"subnetIds": ["subnet-private", "subnet-public"]}, True),
    (False, {"subnetId": "subnet-public"}, False), (None, {"subnetId": "subnet-public"}, False),
    (UNKNOWN, {"subnetId": "subnet-public"}, False),
    # Another subnet (from outside the stack), or none at all (where EMR puts it is the account's).
    (True, {"subnetId": "subnet-other"}, False), (True, {}, False), (True, {"subnetId": {"odd": "shape"}}, False)])
def test_a_clusters_primary_node_gets_no_public_address_from_its_subnet(maps_public_ips, ec2_attributes, reported):
    """Security Hub EMR.1: a new cluster in a subnet whose IPv4 public addressing attribute is false."""
    subnet = {"id": "subnet-public", "vpcId": "vpc-1", "cidrBlock": "10.0.0.0/24", "tags": DEFAULT_TAGS}
    if maps_public_ips is not None:
        subnet["mapPublicIpOnLaunch"] = maps_public_ips
    resources = [Res(SUBNET, "public", subnet),
                 emr_cluster(securityConfiguration="config",
                             ec2Attributes={"instanceProfile": "EMR_EC2", **ec2_attributes})]
    assert (PRIVATE_SUBNET in policies_found(resources)) == reported
