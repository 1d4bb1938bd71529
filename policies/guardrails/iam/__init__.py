"""IAM guardrails: whom roles trust, what the roles of application tasks may read, and the boundary roles carry; no
policy that grants full administrator access, every action of a service or decryption with every KMS key."""
from typing import NamedTuple, Optional

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY = "aws:iam/policy:Policy"
# Attach managed policies too: `roles[]` + `policyArn`, and `roleName` + `policyArns[]` (pulumi-aws 7.51.1). The
# exclusive inline-policy list (`aws:iam/rolePoliciesExclusive`) only names RolePolicy resources, read already.
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
USER = "aws:iam/user:User"
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
USER_POLICY_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
USER_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive"
GROUP_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"



class Attaches(NamedTuple):
    """What a resource type attaches managed policies by."""
    arns: str                     # the prop of the policy's ARN (`policyArn`) or policies' (`policyArns`)
    roles: Optional[str] = None   # the prop naming the role or roles they go to; None: users or groups alone
    many_roles: bool = False      # `roles` is a list (`may_refer` narrows single values only)


# Every resource that attaches managed policies, in the order the task-role check reads a role's: `iam-no-full-admin`
# reads them all, the task-role checks those that name roles.
ATTACHMENTS = {
    ROLE_POLICY_ATTACHMENT: Attaches("policyArn", "role"),
    ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: Attaches("policyArns", "roleName"),
    POLICY_ATTACHMENT: Attaches("policyArn", "roles", many_roles=True),
    USER_POLICY_ATTACHMENT: Attaches("policyArn"),
    GROUP_POLICY_ATTACHMENT: Attaches("policyArn"),
    USER_POLICY_ATTACHMENTS_EXCLUSIVE: Attaches("policyArns"),
    GROUP_POLICY_ATTACHMENTS_EXCLUSIVE: Attaches("policyArns"),
}
# The props that list policy ARNs (a role's own, the exclusive attachments'); the others name one.
POLICY_ARN_LISTS = frozenset({"managedPolicyArns", "policyArns"})
