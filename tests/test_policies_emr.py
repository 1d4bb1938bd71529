"""Amazon EMR guardrails against tests/programs/policy_emr (raw block public access settings)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found, program_fixtures

PROGRAM = "policy_emr"
M = "mandatory"
BLOCK_PUBLIC_ACCESS = "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration"
BPA_ON = "emr-block-public-access-on"

FAILING = [
    Finding(BPA_ON, "bpa-off", M, "blockPublicSecurityGroupRules is false: block public access for the account's EMR "
                                  "clusters in the region is off, so a cluster launches in a public subnet even when "
                                  "its security groups let 0.0.0.0/0 or ::/0 in on any port; set it true"),
    Finding(BPA_ON, "bpa-web-open", M, "permittedPublicSecurityGroupRuleRanges permits 80, 8000-8999: EMR launches "
                                       "clusters whose security groups let 0.0.0.0/0 or ::/0 in on those ports; permit "
                                       "port 22 alone"),
]
PASSING = [
    # On with port 22 alone; on, known only after the update.
    (BPA_ON, "bpa-ssh-only"), (BPA_ON, "bpa-later"),
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
