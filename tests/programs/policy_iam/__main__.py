"""Raw IAM roles under a pack config that names the organization's boundaries: one bounded by a boundary it names,
one by a boundary its wildcard names through another resource's output (unknown in a first preview), one by another
boundary (or the named one in other case), one by none; IAM Identity Center permission sets, one an
administrator's; roles that CI services' OIDC providers shared by everyone may assume; policies that allow
decryption with every KMS key, or every action of a service, and ones that do not; and IAM users with policies of
their own."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
BOUNDARY = "arn:aws:iam::111122223333:policy/boundaries/platform"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def role(name, **args):
    return aws.iam.Role(name, name=name, assume_role_policy=TRUST, tags=TAGS, **args)


role("bounded", permissions_boundary=BOUNDARY)
team_boundary = aws.iam.Policy("team-boundary", name="team-boundary", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:*", "kms:Decrypt"], "Resource": "*"}]}))
role("team-bounded", permissions_boundary=team_boundary.arn)
role("otherwise-bounded", permissions_boundary="arn:aws:iam::111122223333:policy/PowerUsers")
# ARNs compare with case (an SCP's ArnLike does): not the boundary the organization named.
role("bounded-in-other-case", permissions_boundary=BOUNDARY.replace("platform", "Platform"))
role("unbounded")

# Who may assume a role, and what it may do.
PUBLIC_TRUST = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
aws.iam.Role("public-trust", name="public-trust", tags=TAGS, permissions_boundary=BOUNDARY,
             assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [PUBLIC_TRUST]}))
# Everyone in the organization, named by a fixed aws:PrincipalOrgID, is not everyone.
aws.iam.Role("org-trust", name="org-trust", tags=TAGS, permissions_boundary=BOUNDARY,
             assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                 **PUBLIC_TRUST, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}))
ADMIN = {"Effect": "Allow", "Action": "*", "Resource": "*"}
aws.iam.Policy("admin-policy", name="admin-policy", tags=TAGS,
               policy=json.dumps({"Version": "2012-10-17", "Statement": [{**ADMIN, "Sid": "Everything"}]}))
admin = aws.iam.Role("inline-admin", name="inline-admin", assume_role_policy=TRUST, tags=TAGS,
                     permissions_boundary=BOUNDARY, inline_policies=[{"name": "all", "policy": json.dumps({
                         "Version": "2012-10-17", "Statement": [{**ADMIN, "Action": ["s3:GetObject", "*"]}]})}])
aws.iam.RolePolicyAttachment("admin-attached", role=admin.name,
                             policy_arn="arn:aws:iam::aws:policy/AdministratorAccess")
aws.iam.RolePolicyAttachment("read-only-attached", role=admin.name,
                             policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
# A permissions boundary of the usual shape (everything, less what it denies) grants nothing by itself.
guard = aws.iam.Policy("team-guard", name="team-guard", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [ADMIN, {"Effect": "Deny", "Action": "iam:*User*", "Resource": "*"}]}))
role("guarded", permissions_boundary=guard.arn)
# A document given as a map, its lists as lists.
aws.iam.Policy("admin-map-policy", name="admin-map-policy", tags=TAGS, policy={
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]})
operators = aws.iam.User("operators", name="operators", tags=TAGS)
aws.iam.UserPolicyAttachmentsExclusive("operators-attached", user_name=operators.name,
                                       policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"])
# IAM users get their permissions from groups and roles (Security Hub IAM.2), not from policies of their own: an
# inline policy, an attached one (by a name known in a first preview, and by the user's output), one attached to
# several; a group's attachment passes, and so do a user the pack config exempts and an exclusive list that
# attaches nothing.
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
developer = aws.iam.User("developer", name="developer", tags=TAGS)
aws.iam.UserPolicy("developer-inline", user=developer.name, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
aws.iam.UserPolicyAttachment("developer-read-only", user="developer", policy_arn=READ_ONLY)
developers = aws.iam.Group("developers", name="developers")
aws.iam.PolicyAttachment("users-read-only", policy_arn=READ_ONLY, users=[developer.name, "auditor"])
aws.iam.PolicyAttachment("group-read-only", policy_arn=READ_ONLY, groups=[developers.name])
aws.iam.UserPolicyAttachment("ci-deployer-read-only", user="ci-deployer", policy_arn=READ_ONLY)
aws.iam.UserPolicyAttachmentsExclusive("contractor-no-policies", user_name="contractor", policy_arns=[])
# A boundary that is attached too makes its holder an administrator.
both = aws.iam.Policy("team-guard-attached", name="team-guard-attached", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [ADMIN, {"Effect": "Deny", "Action": "iam:*User*", "Resource": "*"}]}))
role("doubly-guarded", permissions_boundary=both.arn)
aws.iam.RolePolicyAttachment("guard-attached", role="doubly-guarded", policy_arn=both.arn)

# IAM Identity Center: a permission set's policies become an IAM role's in every account it is assigned to.
SSO = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
admins = aws.ssoadmin.PermissionSet("admins", instance_arn=SSO, name="Admins", tags=TAGS)
aws.ssoadmin.ManagedPolicyAttachment("admins-attached", instance_arn=SSO, permission_set_arn=admins.arn,
                                     managed_policy_arn="arn:aws:iam::aws:policy/AdministratorAccess")
aws.ssoadmin.ManagedPolicyAttachmentsExclusive("admins-exclusive", instance_arn=SSO, permission_set_arn=admins.arn,
                                               managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"])
aws.ssoadmin.PermissionSetInlinePolicy("admins-inline", instance_arn=SSO, permission_set_arn=admins.arn,
                                       inline_policy=json.dumps({"Version": "2012-10-17", "Statement": [ADMIN]}))
readers = aws.ssoadmin.PermissionSet("readers", instance_arn=SSO, name="Readers", tags=TAGS)
aws.ssoadmin.ManagedPolicyAttachment("readers-attached", instance_arn=SSO, permission_set_arn=readers.arn,
                                     managed_policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
aws.ssoadmin.PermissionSetInlinePolicy("readers-inline", instance_arn=SSO, permission_set_arn=readers.arn,
                                       inline_policy=json.dumps({"Version": "2012-10-17", "Statement": [
                                           {**ADMIN, "Action": "s3:GetObject"}]}))
# A permission set's boundary grants nothing by itself, as a role's; attached to a permission set too, it is an
# administrator's policy.
GUARD = {"Version": "2012-10-17", "Statement": [ADMIN, {"Effect": "Deny", "Action": "iam:*User*", "Resource": "*"}]}
sso_guard = aws.iam.Policy("sso-guard", name="sso-guard", tags=TAGS, policy=json.dumps(GUARD))
aws.ssoadmin.PermissionsBoundaryAttachment("readers-boundary", instance_arn=SSO, permission_set_arn=readers.arn,
                                           permissions_boundary={"customer_managed_policy_reference": {
                                               "name": sso_guard.name}})
sso_both = aws.iam.Policy("sso-guard-attached", name="sso-guard-attached", tags=TAGS, policy=json.dumps(GUARD))
aws.ssoadmin.PermissionsBoundaryAttachment("admins-boundary", instance_arn=SSO, permission_set_arn=admins.arn,
                                           permissions_boundary={"customer_managed_policy_reference": {
                                               "name": "sso-guard-attached", "path": "/"}})
aws.ssoadmin.CustomerManagedPolicyAttachmentsExclusive(
    "readers-customer", instance_arn=SSO, permission_set_arn=readers.arn,
    customer_managed_policy_references=[{"name": sso_both.name}])

# Roles GitHub Actions, GitLab.com CI or HCP Terraform assume with a web identity token: the provider signs one for
# every repository, project or organization, so the trust names the tenant in the token's subject or lets in anyone.
GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
WEB_IDENTITY = {"Effect": "Allow", "Principal": {"Federated": GITHUB}, "Action": "sts:AssumeRoleWithWebIdentity"}
GITHUB_AUDIENCE = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}


def web_identity_role(name, trust):
    return aws.iam.Role(name, name=name, tags=TAGS, permissions_boundary=BOUNDARY, assume_role_policy=trust)


# The audience alone: every repository's workflows ask for sts.amazonaws.com.
web_identity_role("github-any-repository", json.dumps({"Version": "2012-10-17", "Statement": [{
    **WEB_IDENTITY, "Condition": {"StringEquals": GITHUB_AUDIENCE}}]}))
web_identity_role("github-one-repository", json.dumps({"Version": "2012-10-17", "Statement": [{
    **WEB_IDENTITY, "Condition": {"StringEquals": GITHUB_AUDIENCE, "StringLike": {
        "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:*"}}}]}))
# The provider the stack creates, named by its ARN (unknown in a first preview), and a subject of any owner.
github = aws.iam.OpenIdConnectProvider("github", url="https://token.actions.githubusercontent.com", tags=TAGS,
                                       client_id_lists=["sts.amazonaws.com"])
web_identity_role("github-any-owner", pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [{
    **WEB_IDENTITY, "Principal": {"Federated": github.arn},
    "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*/*"}}}]}))
# A policy document data source's JSON: GitLab.com's audience alone, and HCP Terraform's organization.
GITLAB = "arn:aws:iam::111122223333:oidc-provider/gitlab.com"
web_identity_role("gitlab-any-project", aws.iam.get_policy_document(statements=[{
    "actions": ["sts:AssumeRoleWithWebIdentity"], "principals": [{"type": "Federated", "identifiers": [GITLAB]}],
    "conditions": [{"test": "StringEquals", "variable": "gitlab.com:aud", "values": ["https://gitlab.com"]}]}]).json)
web_identity_role("terraform-one-organization", aws.iam.get_policy_document(statements=[{
    "actions": ["sts:AssumeRoleWithWebIdentity"],
    "principals": [{"type": "Federated", "identifiers": ["arn:aws:iam::111122223333:oidc-provider/app.terraform.io"]}],
    "conditions": [{"test": "StringLike", "variable": "app.terraform.io:sub",
                    "values": ["organization:octo-org:project:*:workspace:*:run_phase:*"]}]}]).json)

# Decryption with every KMS key (KMS.1, KMS.2), whatever the Condition; keys of one region of one account, or a key
# the stack makes (its ARN unknown in a first preview), are not every key.
DECRYPT = {"Effect": "Allow", "Action": "kms:Decrypt"}
aws.iam.Policy("decrypt-every-key", name="decrypt-every-key", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{**DECRYPT, "Resource": "*"}]}))
aws.iam.Policy("decrypt-one-region", name="decrypt-one-region", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{**DECRYPT, "Resource": "arn:aws:kms:us-east-1:111122223333:key/*"}]}))
aws.iam.RolePolicy("decrypt-via-s3", name="decrypt-via-s3", role=admin.name, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{
        "Sid": "ViaS3", "Effect": "Allow", "Action": ["kms:ReEncrypt*", "kms:De*"], "Resource": "arn:aws:kms:*:*:key/*",
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]}))
key = aws.kms.Key("orders-key", description="orders", enable_key_rotation=True, tags=TAGS)
role("decrypting", permissions_boundary=BOUNDARY, inline_policies=[
    {"name": "every-key", "policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"}]})},
    {"name": "own-key", "policy": key.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
        **DECRYPT, "Resource": arn}]}))}])

# Every action of a service (IAM.21, CT.IAM.PR.5), whatever the resource; a prefix with a suffixed wildcard is not,
# and knob exemptPolicies names the policies that need it.
BUCKET = "arn:aws:s3:::orders-archive"
aws.iam.Policy("s3-everything", name="s3-everything", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                            "Resource": [BUCKET, f"{BUCKET}/*"]}]}))
aws.iam.Policy("describe-only", name="describe-only", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}))
aws.iam.Policy("ops-session-manager", name="ops-session-manager", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:*", "ssmmessages:*"],
                                            "Resource": "*"}]}))
aws.iam.UserPolicy("operators-archive", name="operators-archive", user=operators.name, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Sid": "Archive", "Effect": "Allow", "Action": ["s3:Get*", "*"],
                                            "Resource": f"{BUCKET}/*"}]}))
