"""Entry point that `pulumi preview --policy-pack policies` runs.

It only builds the pack: the policies live in the importable `guardrails` package, so the
offline preview (`python -m tools.preview`) and the tests evaluate the very same objects.
"""
from pulumi_policy import EnforcementLevel, PolicyPack

from guardrails import ALL_POLICIES

PolicyPack(
    name="service-mesh-guardrails",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=ALL_POLICIES,
)
