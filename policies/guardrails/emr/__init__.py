"""Amazon EMR guardrails: a region's block public access stays on, security configurations encrypt at rest and in
transit (and clusters use one), and a cluster's primary node gets no public address from its subnet."""
from __future__ import annotations

CLUSTER = "aws:emr/cluster:Cluster"
# A named, reusable set of a cluster's encryption and authentication settings: `configuration` is the JSON
# CreateSecurityConfiguration takes, sent as written (terraform-provider-aws; ForceNew). A cluster names it by name.
SECURITY_CONFIGURATION = "aws:emr/securityConfiguration:SecurityConfiguration"
# A region's block public access for the account's clusters (PutBlockPublicAccessConfiguration), the account's,
# whatever stack sets it; deleting the resource puts back AWS's default, on with port 22 as the only exception.
BLOCK_PUBLIC_ACCESS = "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration"
