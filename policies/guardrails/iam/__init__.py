"""IAM guardrails: whom roles trust, what the roles of application tasks may read, and the boundary roles carry."""

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY = "aws:iam/policy:Policy"
# Attach managed policies too: `roles[]` + `policyArn`, and `roleName` + `policyArns[]` (pulumi-aws 7.51.1). The
# exclusive inline-policy list (`aws:iam/rolePoliciesExclusive`) only names RolePolicy resources, read already.
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
