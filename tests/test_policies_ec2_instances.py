"""EC2 instance and EBS guardrails against tests/programs/policy_ec2_instances (raw instances, launch templates, a
launch configuration, EBS volumes and a region's account defaults)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_ec2_instances"
M = "mandatory"
IMDS, PUBLIC, EBS = "ec2-instance-imdsv2", "ec2-instance-no-public-ip", "ec2-ebs-encrypted"
CONFIG = {PUBLIC: {"exemptInstances": ["bastion"]}}

FAILING = [
    Finding(IMDS, "bare", M, "instance bare leaves metadataOptions.httpTokens out: EC2 then takes IMDSv1 calls unless "
                             "the AMI or the account's default requires tokens; set httpTokens required"),
    Finding(IMDS, "imdsv1", M, "instance imdsv1 has metadataOptions.httpTokens optional: any process or forged "
                               "request on the instance reads its role's credentials without a token"),
    Finding(IMDS, "loose-workers", M, "launch template loose-workers has metadataOptions.httpTokens optional"),
    Finding(PUBLIC, "public", M, "associatePublicIpAddress is true: the instance gets a public address on the "
                                 "internet"),
    Finding(PUBLIC, "loose-workers", M, "networkInterfaces[0].associatePublicIpAddress is true: every instance the "
                                        "template launches gets a public address"),
    Finding(EBS, "bare", M, "instance bare: rootBlockDevice.encrypted is unset, and the stack does not turn on its "
                            "region's EBS encryption by default"),
    Finding(EBS, "plain-data", M, "instance plain-data: ebsBlockDevices[0].encrypted is false"),
    Finding(EBS, "loose-workers", M, "launch template loose-workers: blockDeviceMappings[0].ebs.encrypted is false"),
    Finding(EBS, "plain-volume", M, "EBS volume plain-volume: encrypted is unset"),
    # A template that maps no volume gives its instances the AMI's root volume, as an instance without one does.
    Finding(EBS, "ami-root-workers", M, "launch template ami-root-workers: the AMI's root volume (no "
                                        "blockDeviceMappings): encrypted is unset"),
]
PASSING = [
    *((policy, "app") for policy in (IMDS, PUBLIC, EBS)),
    (IMDS, "no-endpoint"), (PUBLIC, "bastion"), (IMDS, "workers"), (EBS, "workers"), (PUBLIC, "workers"),
    # From a launch template, a snapshot, or the region's account defaults.
    (IMDS, "from-template"), (EBS, "from-template"), (EBS, "restored-volume"), (EBS, "data"),
    (IMDS, "ireland-app"), (EBS, "ireland-app"), (EBS, "ireland-volume"),
    (IMDS, "legacy-workers"), (EBS, "legacy-workers"), (PUBLIC, "legacy-workers"), (IMDS, "ami-root-workers"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


INSTANCE = "aws:ec2/instance:Instance"


@pytest.mark.parametrize("defaults, reported", [
    ({"httpTokens": "required"}, False), ({"httpTokens": "no-preference"}, True), ({"httpTokens": UNKNOWN}, False),
    (None, True)])
def test_a_left_out_token_setting_is_the_region_s_account_default(defaults, reported):
    resources = [Res(INSTANCE, "app", {"ami": "ami-1", "instanceType": "t4g.small", "rootBlockDevice": {
        "encrypted": True}, "tags": DEFAULT_TAGS})]
    if defaults is not None:
        resources.append(Res("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "defaults", defaults))
    found = policies_found(resources)
    assert (IMDS in found) == reported, found


@pytest.mark.parametrize("enabled, reported", [(None, False), (True, False), (False, True), (UNKNOWN, False)])
def test_ebs_encryption_by_default_covers_a_volume_left_unencrypted(enabled, reported):
    # Once the account encrypts by default, EC2 encrypts every new volume, one that says encrypted false too.
    volume = Res("aws:ebs/volume:Volume", "plain", {"availabilityZone": "us-east-1a", "size": 10, "encrypted": False,
                                                    "tags": DEFAULT_TAGS})
    default = Res("aws:ebs/encryptionByDefault:EncryptionByDefault", "default",
                  {} if enabled is None else {"enabled": enabled})
    found = policies_found([volume, default])
    assert (EBS in found) == reported, found
