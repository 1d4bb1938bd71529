"""EKS guardrails against tests/programs/policy_eks (raw clusters and managed node groups)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         policies_found, program_fixtures)

PROGRAM = "policy_eks"
M = "mandatory"
PUBLIC, SECRETS, AUDIT = "eks-cluster-endpoint-not-public", "eks-cluster-secrets-encrypted", "eks-cluster-audit-logging"
SSH, ACCESS = "eks-nodegroup-no-public-ssh", "eks-cluster-access-entries"
A = "advisory"
CONFIG = {PUBLIC: {"allowedPublicCidrs": ["198.51.100.16/28"]}}

FAILING = [
    Finding(PUBLIC, "default-eks", M, "vpcConfig.endpointPublicAccess is unset (true) and publicAccessCidrs is unset "
                                      "(0.0.0.0/0): the Kubernetes API endpoint is open to the whole internet"),
    Finding(PUBLIC, "open-eks", M, "vpcConfig.endpointPublicAccess is true and publicAccessCidrs holds 0.0.0.0/0: the "
                                   "Kubernetes API endpoint is open to the whole internet"),
    # 198.51.100.0/28 is next to the knob's range, not within it.
    Finding(PUBLIC, "office-eks", M, "publicAccessCidrs admits 198.51.100.0/28, 203.0.113.0/24, not within knob "
                                     "allowedPublicCidrs: the Kubernetes API endpoint is public (Security Hub EKS.1"),
    Finding(SECRETS, "plain-secrets-eks", M, "encryptionConfig is unset: EKS envelope-encrypts Kubernetes secrets "
                                             "with an AWS owned key (from Kubernetes 1.28; before, only the disk's "
                                             "encryption), whose use the account cannot audit in CloudTrail"),
    Finding(SECRETS, "old-eks", M, "encryptionConfig is unset"),
    Finding(AUDIT, "quiet-eks", M, "enabledClusterLogTypes is unset: nothing records who read or changed what "
                                   "through the Kubernetes API; add audit"),
    Finding(AUDIT, "chatty-eks", M, "enabledClusterLogTypes lists api, scheduler but not audit"),
    Finding(ACCESS, "configmap-default-eks", A, "accessConfig.authenticationMode is unset (CONFIG_MAP): IAM "
                                                "principals reach Kubernetes only through the aws-auth ConfigMap, "
                                                "which EKS deprecates for access entries managed through the EKS API; "
                                                "set API_AND_CONFIG_MAP"),
    Finding(ACCESS, "configmap-eks", A, "accessConfig.authenticationMode is CONFIG_MAP: IAM principals reach "
                                        "Kubernetes only through the aws-auth ConfigMap"),
    Finding(SSH, "ssh-open-nodes", M, "remoteAccess.ec2SshKey is set without sourceSecurityGroupIds: EKS opens port 22 "
                                      "(SSH; 3389, RDP, on Windows nodes) on every node to the internet (0.0.0.0/0)"),
]
PASSING = [
    *((policy, "orders-eks") for policy in (PUBLIC, SECRETS, AUDIT, ACCESS)),
    # Both modes while the ConfigMap's entries move to access entries.
    (ACCESS, "migrating-eks"),
    # Public from the range the knob allows.
    (PUBLIC, "runners-eks"),
    # A public range, a key and a log type known only after the update.
    *((policy, "later-eks") for policy in (PUBLIC, SECRETS, AUDIT)),
    # No remote access; SSH from a bastion's group only; a key and a group known only after the update.
    *((SSH, name) for name in ("orders-nodes", "bastion-ssh-nodes", "later-ssh-nodes")),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def eks_cluster(**settings) -> Res:
    """A cluster that passes the EKS family's policies, with `settings` over its props."""
    return Res("aws:eks/cluster:Cluster", "cluster", {
        "name": "cluster", "roleArn": "arn:aws:iam::123456789012:role/eks",
        "vpcConfig": {"subnetIds": ["subnet-a", "subnet-b"], "endpointPrivateAccess": True,
                      "endpointPublicAccess": False},
        "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:key"}},
        "enabledClusterLogTypes": ["audit"], "accessConfig": {"authenticationMode": "API"}, "tags": DEFAULT_TAGS,
        **settings})


@pytest.mark.parametrize("public, cidrs, allowed, reported", [
    (False, None, [], False), (UNKNOWN, None, [], False), ("false", None, [], False),
    (None, None, [], True), (True, [], [], True), ("true", None, ["198.51.100.0/24"], True),
    # Security Hub EKS.1 fails any public endpoint; the knob passes the ranges a stack trusts, never the internet.
    (True, ["198.51.100.0/24"], [], True), (True, ["198.51.100.0/24"], ["198.51.100.0/24"], False),
    (True, ["198.51.100.7/32", "203.0.113.0/28"], ["198.51.100.0/24", "203.0.113.0/24"], False),
    (True, ["198.51.100.0/23"], ["198.51.100.0/24"], True), (True, ["0.0.0.0/0"], ["0.0.0.0/0"], True),
    (True, ["0.0.0.0/1", "128.0.0.0/1"], ["0.0.0.0/1", "128.0.0.0/1"], True),
    # An unknown range leaves the others unjudged, except one open to the internet.
    (True, [UNKNOWN], [], False), (True, UNKNOWN, [], False), (True, ["203.0.113.0/24", UNKNOWN], [], False),
    (True, ["0.0.0.0/0", UNKNOWN], [], True)])
def test_a_public_endpoint_passes_only_from_the_ranges_the_knob_allows(public, cidrs, allowed, reported):
    vpc = {"subnetIds": ["subnet-a"], "endpointPrivateAccess": True,
           **({} if public is None else {"endpointPublicAccess": public}),
           **({} if cidrs is None else {"publicAccessCidrs": cidrs})}
    found = policies_found([eks_cluster(vpcConfig=vpc)], {PUBLIC: {"allowedPublicCidrs": allowed}})
    assert (found == {PUBLIC}) == reported


@pytest.mark.parametrize("settings, reported", [
    ({"encryptionConfig": None}, True), ({"encryptionConfig": {"resources": [], "provider": {"keyArn": "k"}}}, True),
    ({"encryptionConfig": UNKNOWN}, False), ({"encryptionConfig": {"resources": [UNKNOWN], "provider": {}}}, False),
    ({"encryptionConfig": {"resources": UNKNOWN, "provider": {}}}, False),
    # A local cluster on an Outpost takes no encryptionConfig (the provider refuses both).
    ({"encryptionConfig": None, "outpostConfig": {"controlPlaneInstanceType": "m5.large",
                                                  "outpostArns": ["arn:aws:outposts:op"]}}, False)])
def test_secrets_are_encrypted_with_the_account_s_key(settings, reported):
    assert (policies_found([eks_cluster(**settings)]) == {SECRETS}) == reported


@pytest.mark.parametrize("types, reported", [
    (["audit"], False), (["api", "audit"], False), (None, True), ([], True), (["api", "authenticator"], True),
    (UNKNOWN, False), (["api", UNKNOWN], False), (["audit", UNKNOWN], False)])
def test_the_api_server_writes_its_audit_log(types, reported):
    assert (policies_found([eks_cluster(enabledClusterLogTypes=types)]) == {AUDIT}) == reported


@pytest.mark.parametrize("access, reported", [
    (None, False), ({}, False), ({"ec2SshKey": "ops"}, True),
    ({"ec2SshKey": "ops", "sourceSecurityGroupIds": []}, True),
    ({"ec2SshKey": "ops", "sourceSecurityGroupIds": ["sg-0bastion"]}, False),
    # The provider sends no empty key, so EKS opens no port; nor a group list without a key.
    ({"ec2SshKey": ""}, False), ({"sourceSecurityGroupIds": ["sg-0bastion"]}, False),
    # Unknown values are not judged.
    (UNKNOWN, False), ({"ec2SshKey": UNKNOWN}, False), ({"ec2SshKey": "ops", "sourceSecurityGroupIds": UNKNOWN}, False),
    ({"ec2SshKey": "ops", "sourceSecurityGroupIds": [UNKNOWN]}, False)])
def test_an_ssh_key_needs_source_security_groups(access, reported):
    group = Res("aws:eks/nodeGroup:NodeGroup", "nodes", {
        "clusterName": "orders", "nodeRoleArn": "arn:aws:iam::123456789012:role/eks-nodes", "subnetIds": ["subnet-a"],
        "scalingConfig": {"desiredSize": 1, "maxSize": 1, "minSize": 1}, "tags": DEFAULT_TAGS,
        **({} if access is None else {"remoteAccess": access})})
    assert (policies_found([group]) == {SSH}) == reported


@pytest.mark.parametrize("settings, reported", [
    ({"accessConfig": {"authenticationMode": "API"}}, False),
    ({"accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}}, False),
    ({"accessConfig": {"authenticationMode": "CONFIG_MAP"}}, True), ({"accessConfig": None}, True),
    ({"accessConfig": {"bootstrapClusterCreatorAdminPermissions": True}}, True),
    ({"accessConfig": UNKNOWN}, False), ({"accessConfig": {"authenticationMode": UNKNOWN}}, False),
    # A local cluster on an Outpost takes CONFIG_MAP only.
    ({"accessConfig": None, "outpostConfig": {"controlPlaneInstanceType": "m5.large",
                                              "outpostArns": ["arn:aws:outposts:op"]}}, False)])
def test_access_goes_through_access_entries(settings, reported):
    found = policies_found([eks_cluster(**settings)])
    assert (ACCESS in found) == reported


@pytest.mark.parametrize("mode, reads", [
    (None, "unset (CONFIG_MAP)"), ("CONFIG_MAP", "CONFIG_MAP"),
    # The provider sends no empty mode, so EKS makes the cluster CONFIG_MAP; nor can a mode that is no string be sent.
    ("", "unset (CONFIG_MAP)"), (7, "unset (CONFIG_MAP)")])
def test_a_mode_left_empty_reads_as_eks_s_default(mode, reads):
    found = findings(analyze([eks_cluster(accessConfig={"authenticationMode": mode})], {ACCESS: "mandatory"}))
    assert {(policy, message.split(":")[0]) for policy, _, message in found} == {
        (ACCESS, f"accessConfig.authenticationMode is {reads}")}
