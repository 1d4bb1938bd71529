"""IAM role guardrails against tests/programs/policy_iam (raw pulumi_aws roles), under a pack config that names the
organization's permissions boundaries."""
from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_policies_support import (PACKS_OWN, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                         pairs, program, program_fixtures, reshaped)
from tools.policyeval import evaluate

PROGRAM = "policy_iam"
M = "mandatory"
BOUNDARY = "iam-role-permissions-boundary"
NAMED = ["arn:aws:iam::111122223333:policy/boundaries/platform", "arn:aws:iam::*:policy/team-*"]
WILDCARDS = "iam-no-service-wildcard-actions"
USERS = "iam-user-no-attached-policies"
CONFIG = {BOUNDARY: {"allowedBoundaries": NAMED}, WILDCARDS: {"exemptPolicies": ["ops-*"]},
          USERS: {"exemptUsers": ["ci-*"]}}
ALLOWED = ", ".join(NAMED)

FAILING = [
    Finding(BOUNDARY, "unbounded", M, f"permissionsBoundary is unset; set it to one of allowedBoundaries ({ALLOWED})"),
    Finding(BOUNDARY, "otherwise-bounded", M, "permissionsBoundary arn:aws:iam::111122223333:policy/PowerUsers is "
                                              f"not one of allowedBoundaries ({ALLOWED})"),
    Finding(BOUNDARY, "bounded-in-other-case", M, "permissionsBoundary arn:aws:iam::111122223333:policy/boundaries/"
                                                  f"Platform is not one of allowedBoundaries ({ALLOWED})"),
]

ADMIN, PUBLIC_TRUST = "iam-no-full-admin", "iam-role-trust-not-public"
FAILING += [
    Finding(PUBLIC_TRUST, "public-trust", M, "assumeRolePolicy statement 0 lets Principal * assume the role with no "
                                             "condition naming the callers: any AWS account could assume it"),
    *(Finding(PUBLIC_TRUST, role, M, f"assumeRolePolicy statement 0 lets web identity tokens of {host} assume the role "
                                     f"with no condition naming {tenant}: {anyone} could assume it; add {example}")
      for role, host, tenant, anyone, example in (
          ("github-any-repository", "token.actions.githubusercontent.com", "one owner's repositories",
           "any GitHub repository's workflows",
           "StringLike token.actions.githubusercontent.com:sub repo:<owner>/<repository>:*"),
          # The provider's ARN is the stack's provider's: unknown in a first preview, which reports nothing.
          ("github-any-owner", "token.actions.githubusercontent.com", "one owner's repositories",
           "any GitHub repository's workflows",
           "StringLike token.actions.githubusercontent.com:sub repo:<owner>/<repository>:*"),
          ("gitlab-any-project", "gitlab.com", "one group's projects", "any GitLab.com project's pipelines",
           "StringLike gitlab.com:sub project_path:<group>/<project>:*"))),
    Finding(ADMIN, "admin-policy", M, 'policy statement Everything allows every action ("*") on every resource '
                                      '("*"): full administrator access'),
    Finding(ADMIN, "inline-admin", M, "inline policy 'all' statement 0 allows every action (\"*\") on every "
                                      "resource (\"*\"): full administrator access"),
    Finding(ADMIN, "admin-attached", M, "policyArn attaches arn:aws:iam::aws:policy/AdministratorAccess: full "
                                        "administrator access"),
    Finding(ADMIN, "admin-map-policy", M, 'policy statement 0 allows every action ("*") on every resource ("*")'),
    Finding(ADMIN, "operators-attached", M, "policyArns attaches arn:aws:iam::aws:policy/AdministratorAccess"),
    Finding(ADMIN, "team-guard-attached", M, "policy statement 0 allows every action"),
    # An Identity Center permission set's policies: its role's in every account it is assigned to.
    Finding(ADMIN, "admins-attached", M, "managedPolicyArn attaches arn:aws:iam::aws:policy/AdministratorAccess: full "
                                         "administrator access"),
    Finding(ADMIN, "admins-exclusive", M, "managedPolicyArns attaches arn:aws:iam::aws:policy/AdministratorAccess: "
                                          "full administrator access"),
    Finding(ADMIN, "admins-inline", M, 'inlinePolicy statement 0 allows every action ("*") on every resource ("*"): '
                                       'full administrator access'),
    # A permission set's boundary that a permission set attaches too.
    Finding(ADMIN, "sso-guard-attached", M, "policy statement 0 allows every action"),
]

# IAM users with policies of their own (Security Hub IAM.2), advisory by the policy's own level.
A = "advisory"
INLINE = ("user names an IAM user: policy is an inline policy of that user's own; put it on a group the user is a "
          "member of (aws.iam.GroupPolicy) or on a role the user assumes")
ATTACHED = ("user names an IAM user: policyArn is attached to that user directly; attach it to a group the user is a "
            "member of (aws.iam.GroupPolicyAttachment) or to a role the user assumes")
EXCLUSIVE = ("userName names an IAM user: policyArns are attached to that user directly; attach them to a group the "
             "user is a member of or to a role the user assumes")
LISTED = ("users lists IAM users: policyArn is attached to each of them directly; list groups they are members of "
          "(groups) or roles they assume (roles) instead")
FAILING += [
    Finding(USERS, "developer-inline", A, INLINE),
    Finding(USERS, "developer-read-only", A, ATTACHED),
    Finding(USERS, "operators-attached", A, EXCLUSIVE),
    Finding(USERS, "users-read-only", A, LISTED),
    Finding(USERS, "operators-archive", A, INLINE),  # also a wildcard for every action, another rule's finding
]

DECRYPT = "iam-no-decrypt-every-kms-key"
FAILING += [
    Finding(DECRYPT, "decrypt-every-key", M, "policy statement 0 allows kms:Decrypt on every KMS key"),
    # Through wildcards, whatever the Condition (KMS.1 and KMS.2 do not read it).
    Finding(DECRYPT, "decrypt-via-s3", M, "policy statement ViaS3 allows kms:Decrypt and kms:ReEncryptFrom on every "
                                          "KMS key"),
    Finding(DECRYPT, "decrypting", M, "inline policy 'every-key' statement 0 allows kms:Decrypt and "
                                      "kms:ReEncryptFrom on every KMS key"),
]

FAILING += [
    Finding(WILDCARDS, "s3-everything", A, "policy statement 0 allows s3:*: a wildcard for every action of a service; "
                                           "name the actions it needs"),
    Finding(WILDCARDS, "operators-archive", A, "policy statement Archive allows *: a wildcard for every action"),
    # Every action but two services' is every action of all the others (IAM.21 names NotAction too); the same
    # statement decrypts with every key, another rule's finding.
    Finding(WILDCARDS, "decrypting", A, "inline policy 'every-key' statement 0 allows every action but iam:* and s3:*: "
                                        "a wildcard for every action of a service"),
]

PASSING = [
    (WILDCARDS, "describe-only"),  # a prefix with a suffixed wildcard
    (WILDCARDS, "ops-session-manager"),  # named by knob exemptPolicies
    (WILDCARDS, "admin-policy"), (WILDCARDS, "inline-admin"),  # every action on every resource: iam-no-full-admin's
    (WILDCARDS, "team-boundary"),  # a role's permissions boundary, which IAM.21 leaves out
    (DECRYPT, "decrypt-one-region"),  # the keys of one region of one account
    (DECRYPT, "admin-policy"),  # every action on every resource: iam-no-full-admin's finding alone
    (DECRYPT, "team-boundary"),  # a role's permissions boundary, which KMS.1 leaves out
    (USERS, "group-read-only"), (USERS, "ci-deployer-read-only"),  # a group's; a user the config exempts
    (USERS, "contractor-no-policies"),  # an exclusive list that attaches nothing, and detaches the rest
    (PUBLIC_TRUST, "org-trust"),  # everyone in one organization, named by a fixed aws:PrincipalOrgID
    (PUBLIC_TRUST, "bounded"),
    (PUBLIC_TRUST, "github-one-repository"),  # one repository of one owner in the token's subject
    (PUBLIC_TRUST, "terraform-one-organization"),  # one HCP Terraform organization's workspaces
    (ADMIN, "team-boundary"),  # logs:* and kms:Decrypt on every resource are not every action
    (ADMIN, "team-guard"),  # a boundary: everything, less what it denies, grants nothing by itself
    (BOUNDARY, "guarded"), (BOUNDARY, "doubly-guarded"),
    (ADMIN, "read-only-attached"),
    (ADMIN, "readers-attached"), (ADMIN, "readers-inline"),
    (ADMIN, "sso-guard"),  # a permission set's boundary, as a role's
    (ADMIN, "org-trust"),
    (BOUNDARY, "bounded"),
    (BOUNDARY, "team-bounded"),  # a policy of the stack, named by the wildcard once its ARN is known
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_a_pack_config_that_names_no_boundary_asks_for_none():
    assert {policy for policy, _ in pairs(program(PROGRAM))} == {ADMIN, PUBLIC_TRUST, DECRYPT, WILDCARDS, USERS}


def test_a_first_preview_finds_the_same_administrators(result, first_preview):
    """Every role here has a boundary ARN written as text: while a new policy's ARN is unknown, such a text once
    left every policy maybe someone's boundary, and a first preview lost the admin policies a full one reports."""
    def admins(preview):
        return {name for policy, name in pairs(preview) if policy == ADMIN}
    assert admins(first_preview) == admins(result) >= {"admin-policy", "admin-map-policy"}


@pytest.mark.parametrize("knob,found", [([], True), (["team-*"], False), (["other-*"], True)])
def test_a_boundary_for_other_stacks_roles_is_named_by_the_knob(knob, found):
    guard = Res("aws:iam/policy:Policy", "guard", {"name": "team-guard", "policy": json.dumps({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]})})
    config = {"all": "disabled", ADMIN: {"enforcementLevel": "mandatory", "boundaryPolicies": knob}}
    assert bool(findings(analyze([guard], config))) is found


@pytest.mark.parametrize("policy", [DECRYPT, WILDCARDS])
@pytest.mark.parametrize("knob,found", [([], True), (["team-*"], False), (["other-*"], True)])
def test_the_statement_rules_leave_out_the_boundaries_their_knob_names(policy, knob, found):
    """KMS.1 and IAM.21 leave out permissions boundaries as IAM.1 does; Pulumi hands each policy its own config, so
    each declares iam-no-full-admin's knob."""
    guard = Res("aws:iam/policy:Policy", "guard", {"name": "team-guard", "policy": json.dumps({"Statement": [
        {"Effect": "Allow", "Action": ["kms:*", "s3:*"], "Resource": "*"}]})})
    config = {"all": "disabled", policy: {"enforcementLevel": "mandatory", "boundaryPolicies": knob}}
    assert bool(findings(analyze([guard], config))) is found


EVERYONE_ASSUMES = "lets Principal * assume the role with no condition naming the callers: any AWS account could"
ANY_PROVIDER = ("assume the role with a web identity or SAML token and no condition naming the callers: any identity "
                "provider's users could assume it")
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def _trusting(statement: dict) -> Res:
    """A role whose trust policy is a map (as PolicyDocumentArgs sends it), so a value in it may be unknown."""
    return Res("aws:iam/role:Role", "role", {"name": "shared", "assumeRolePolicy": {
        "Version": "2012-10-17", "Statement": [statement]}})


@pytest.mark.parametrize("statement,resolved,text", [
    # Whether it grants sts:AssumeRole decides the text (any AWS account, or any identity provider's users).
    ({"Effect": "Allow", "Principal": "*", "Action": [WEB_IDENTITY, UNKNOWN]},
     {"Effect": "Allow", "Principal": "*", "Action": [WEB_IDENTITY, "sts:AssumeRole"]}, EVERYONE_ASSUMES),
    ({"Effect": "Allow", "Principal": "*", "Action": [UNKNOWN, WEB_IDENTITY]},
     {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", WEB_IDENTITY]}, ANY_PROVIDER),
    # A principal or a condition unknown until the update may name the callers.
    ({"Effect": "Allow", "Principal": {"Federated": UNKNOWN}, "Action": WEB_IDENTITY},
     {"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": WEB_IDENTITY}, ANY_PROVIDER),
    ({"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": WEB_IDENTITY, "Condition": UNKNOWN},
     {"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": WEB_IDENTITY}, ANY_PROVIDER),
    ({"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": UNKNOWN},
     {"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": "sts:AssumeRoleWithSAML"}, ANY_PROVIDER),
])
def test_what_decides_a_public_trust_or_its_text_waits_for_the_update(statement, resolved, text):
    only = {"all": "disabled", PUBLIC_TRUST: M}
    assert findings(analyze([_trusting(statement)], only)) == set()
    (_, _, message), = findings(analyze([_trusting(resolved)], only))
    assert text in message


@pytest.mark.parametrize("statement,text", [
    # Known to grant sts:AssumeRole, or trusted to every identity provider (which never calls it): the text is
    # the same whatever the unknown action turns out to be.
    ({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole", UNKNOWN]}, EVERYONE_ASSUMES),
    ({"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": [WEB_IDENTITY, UNKNOWN]},
     'lets Principal {"Federated": "*"} ' + ANY_PROVIDER),
])
def test_an_unknown_action_beside_one_that_decides_the_text_leaves_the_finding(statement, text):
    (_, _, message), = findings(analyze([_trusting(statement)], {"all": "disabled", PUBLIC_TRUST: M}))
    assert text in message


ECS_TRUST = "iam-ecs-tasks-trust-scoped"
ASSUME = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
ONE_ACCOUNT = {"StringEquals": {"aws:SourceAccount": "123456789012"}}


@pytest.mark.parametrize("condition, public, unpinned", [
    # Everyone narrowed to services is those services' trust: ECS tasks' must say for whose tasks.
    ({"StringEquals": {"aws:PrincipalServiceName": "ecs-tasks.amazonaws.com"}}, False, True),
    ({"StringEquals": {"aws:PrincipalServiceName": "ecs-tasks.amazonaws.com"}, **ONE_ACCOUNT}, False, False),
    ({"Bool": {"aws:PrincipalIsAWSService": "true"}}, False, True),
    # A string equality on the Boolean key (Access Analyzer warns of the type) lets in AWS services at most, as the
    # VPC endpoint policy check takes it.
    ({"StringEquals": {"aws:PrincipalIsAWSService": "true"}}, False, True),
    ({"StringEquals": {"aws:PrincipalIsAWSService": "false"}}, True, False),
    ({"StringEqualsIfExists": {"aws:PrincipalIsAWSService": "true"}}, True, False),
    ({"StringEquals": {"aws:PrincipalServiceName": "lambda.amazonaws.com"}}, False, False),
    # Unknown until the update: it may be ECS tasks' name (no finding either way).
    ({"StringEquals": {"aws:PrincipalServiceName": UNKNOWN}}, False, False),
    # Any user's or role's request meets these: everyone's trust.
    ({"BoolIfExists": {"aws:PrincipalIsAWSService": "true"}}, True, False),
    ({"StringLike": {"aws:PrincipalServiceName": "*"}}, True, False),
])
def test_a_trust_for_everyone_narrowed_to_services_is_the_services_trust(condition, public, unpinned):
    """As Principal {"Service": ...}: not public (DynamoDB's block public access counts a fixed
    aws:PrincipalServiceName, and aws:PrincipalIsAWSService true, as not public; the pack extends AWS's rule for
    DynamoDB to trusts), and for ECS tasks pinned to one account or reported."""
    found = findings(analyze([_trusting({**ASSUME, "Condition": condition})],
                             {"all": "disabled", PUBLIC_TRUST: M, ECS_TRUST: M}))
    assert ({policy for policy, _, _ in found} == {PUBLIC_TRUST}) is public
    assert ({policy for policy, _, _ in found} == {ECS_TRUST}) is unpinned
    if unpinned:
        [(_, _, message)] = found
        assert message.startswith("assumeRolePolicy statement 0 lets ecs-tasks.amazonaws.com assume the role with no "
                                  "condition naming one account")


@pytest.mark.parametrize("condition, unpinned", [
    # Everyone beside ECS tasks: the Condition names no services, and Principal.Service still lets ECS tasks in.
    ({"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}, True),
    ({"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4", "aws:SourceAccount": "123456789012"}}, False),
])
def test_ecs_tasks_beside_everyone_in_one_principal_are_still_ecs_tasks(condition, unpinned):
    statement = {**ASSUME, "Principal": {"AWS": "*", "Service": "ecs-tasks.amazonaws.com"}, "Condition": condition}
    found = findings(analyze([_trusting(statement)], {"all": "disabled", ECS_TRUST: M}))
    assert [message.split(":")[0] for _, _, message in found] == (
        ["assumeRolePolicy statement 0 lets ecs-tasks.amazonaws.com assume the role with no condition naming one "
         "account"] if unpinned else [])


GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
GITHUB_SUB = "token.actions.githubusercontent.com:sub"
BUILDKITE = "arn:aws:iam::123456789012:oidc-provider/agent.buildkite.com"


def _federated(provider: Any, condition: Any = None) -> dict:
    """A web identity trust of `provider` (Principal.Federated) under `condition`."""
    return {"Effect": "Allow", "Principal": {"Federated": provider}, "Action": WEB_IDENTITY,
            **({"Condition": condition} if condition is not None else {})}


@pytest.mark.parametrize("statement,shared", [
    # GitHub's subject names its owner first (`repo:<owner>/<repo>:...`): a wildcard before the owner's end lets in
    # any owner's repositories, as does the audience alone (every repository's).
    (_federated(GITHUB), "token.actions.githubusercontent.com"),
    (_federated(GITHUB, {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}),
     "token.actions.githubusercontent.com"),
    *((_federated(GITHUB, {"StringLike": {GITHUB_SUB: value}}), "token.actions.githubusercontent.com")
      for value in ("*", "repo:*", "repo:*/*", "repo:octo-*/deploy:*", "repo:octo-org*", "repo:octo-org?x/*",
                    "repository:*/octo-repo:*", "repository_id:12*", "repository_owner_id:*")),
    # A reusable workflow names no caller: any repository may call a public one.
    (_federated(GITHUB, {"StringEquals": {GITHUB_SUB: "job_workflow_ref:octo-org/ci/.github/workflows/d.yml@main"}}),
     "token.actions.githubusercontent.com"),
    (_federated(GITHUB, {"StringLike": {GITHUB_SUB: ["repo:octo-org/*", "repo:*"]}}),
     "token.actions.githubusercontent.com"),
    # True for a request without the key, or a set test: not a claim every token must match, where a token may
    # lack it; every token has one `sub`, where the forms ask what StringLike asks.
    (_federated(GITHUB, {"StringLikeIfExists": {"token.actions.githubusercontent.com:repository": "octo-org/*"}}),
     "token.actions.githubusercontent.com"),
    (_federated(GITHUB, {"ForAllValues:StringEquals": {"token.actions.githubusercontent.com:enterprise_id": "4321"}}),
     "token.actions.githubusercontent.com"),
    (_federated(GITHUB, {"StringLikeIfExists": {GITHUB_SUB: "repo:*"}}), "token.actions.githubusercontent.com"),
    (_federated(GITHUB, {"StringLikeIfExists": {GITHUB_SUB: "repo:octo-org/*"}}), None),
    (_federated(GITHUB, {"ForAllValues:StringLike": {GITHUB_SUB: "repo:octo-org/*"}}), None),
    (_federated(GITHUB, {"StringNotLike": {GITHUB_SUB: "repo:evil/*"}}), "token.actions.githubusercontent.com"),
    (_federated([UNKNOWN, GITHUB]), "token.actions.githubusercontent.com"),  # the known provider is trusted
    (_federated("arn:aws-us-gov:iam::123456789012:oidc-provider/gitlab.com",
                {"StringLike": {"gitlab.com:sub": "project_path:*"}}), "gitlab.com"),
    (_federated("arn:aws:iam::123456789012:oidc-provider/app.terraform.io",
                {"StringLike": {"app.terraform.io:sub": "organization:octo*"}}), "app.terraform.io"),
    # Buildkite's agents ask for any audience: its subject or a session tag names the organization.
    (_federated(BUILDKITE, {"StringEquals": {"agent.buildkite.com:aud": "sts.amazonaws.com"}}), "agent.buildkite.com"),
    (_federated(BUILDKITE, {"StringLike": {"agent.buildkite.com:sub": "organization:*:pipeline:deploy:*"}}),
     "agent.buildkite.com"),
    (_federated(BUILDKITE, {"StringLike": {"aws:RequestTag/organization_slug": "*"}}), "agent.buildkite.com"),
    (_federated("accounts.google.com"), "accounts.google.com"),
    (_federated("accounts.google.com", {"StringLike": {"accounts.google.com:aud": "*.apps.googleusercontent.com"}}),
     "accounts.google.com"),
    # Google's oaud is the ID token's aud, which any service account's token takes from whoever asks for it.
    (_federated("accounts.google.com", {"StringEquals": {"accounts.google.com:oaud": "sts.amazonaws.com"}}),
     "accounts.google.com"),
    (_federated("graph.facebook.com"), "graph.facebook.com"),
    (_federated("www.amazon.com"), "www.amazon.com"),
    # Named tenants: an owner, a group, an organization, a repository, one app.
    (_federated(GITHUB, {"StringLike": {GITHUB_SUB: "repo:octo-org/*"}}), None),
    (_federated(GITHUB, {"StringEquals": {GITHUB_SUB: "repo:octo-org/octo-repo:ref:refs/heads/main"}}), None),
    (_federated(GITHUB, {"ForAnyValue:StringLike": {GITHUB_SUB: "repo:octo-org/octo-repo:*"}}), None),
    (_federated(GITHUB, {"StringLike": {GITHUB_SUB: ["repo:octo-org/*", "repo:other-org/deploy:*"]}}), None),
    # Custom templates: the first claim they name, with its value, heads the subject.
    *((_federated(GITHUB, {"StringLike": {GITHUB_SUB: value}}), None) for value in (
        "repository_owner:octo-org:*", "repository:octo-org/octo-repo:*", "repository_id:123456:*",
        "repository_owner_id:98765:*", "enterprise:octo-ent:*", "enterprise_id:4321:*")),
    (_federated(GITHUB, {"StringEquals": {GITHUB_SUB: "repository_id:123456:environment:prod"}}), None),
    (_federated(GITHUB, {"StringEquals": {"token.actions.githubusercontent.com:repository": "octo-org/octo-repo"}}),
     None),
    (_federated(GITHUB, {"StringEquals": {"token.actions.githubusercontent.com:repository_id": 123456}}), None),
    (_federated("arn:aws:iam::123456789012:oidc-provider/gitlab.com",
                {"StringLike": {"gitlab.com:sub": "project_path:octo-group/*"}}), None),
    (_federated(BUILDKITE, {"StringLike": {"agent.buildkite.com:sub": "organization:octo-org:pipeline:deploy:*"}}),
     None),
    (_federated(BUILDKITE, {"StringEquals": {"agent.buildkite.com:aud": "sts.amazonaws.com",
                                             "aws:RequestTag/organization_slug": "octo-org"}}), None),
    (_federated("accounts.google.com",
                {"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}}), None),
    (_federated("accounts.google.com", {"StringEquals": {"accounts.google.com:oaud": "sts.amazonaws.com",
                                                         "accounts.google.com:sub": "108000002380243782158"}}), None),
    (_federated("graph.facebook.com", {"StringEquals": {"graph.facebook.com:app_id": "1234567890"}}), None),
    # One enterprise's own issuer, a provider of one's own, Cognito (IAM asks for its pool's audience): not shared.
    (_federated(f"{GITHUB}/octo-enterprise"), None),
    (_federated("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"), None),
    (_federated("cognito-identity.amazonaws.com"), None),
    # Unknown until the update: the provider, the condition, a value of it, the action.
    (_federated(UNKNOWN), None),
    (_federated(GITHUB, UNKNOWN), None),
    (_federated(GITHUB, {"StringLike": {GITHUB_SUB: UNKNOWN}}), None),
    ({**_federated(GITHUB), "Action": UNKNOWN}, None),
    # Not assumed with a web identity token.
    ({**_federated(GITHUB), "Action": "sts:AssumeRoleWithSAML"}, None),
    ({**_federated(GITHUB), "Effect": "Deny"}, None),
])
def test_a_trust_of_a_shared_identity_provider_names_one_tenant(statement, shared):
    found = findings(analyze([_trusting(statement)], {"all": "disabled", PUBLIC_TRUST: M}))
    assert [message.split(" assume the role")[0] for _, _, message in found] == (
        [f"assumeRolePolicy statement 0 lets web identity tokens of {shared}"] if shared else [])


@pytest.mark.parametrize("odd", [{"arn": "arn:aws:iam::aws:policy/SecretsManagerReadWrite"}, ["x"]])
def test_a_managed_policy_arn_of_another_shape_breaks_no_task_role_check(odd):
    """A managedPolicyArns item given as a map was looked up among the AWS-managed policies: TypeError, and both
    task-role policies gave no verdict. Only text is an ARN (botocore iam AttachRolePolicy.PolicyArn): the role is
    judged by the rest, as before."""
    from tests.test_policies_mutations import service_connect
    policies = {"all": "disabled", "iam-task-role-no-ecs-sc-secrets": "mandatory",
                "iam-task-role-denies-ecs-sc-secrets": "mandatory"}
    resources = service_connect()
    next(r for r in resources if r.name == "task-role").props["managedPolicyArns"] = [odd]
    assert findings(analyze(resources, policies)) == findings(analyze(service_connect(), policies))


def test_a_policy_arn_output_of_another_shape_breaks_no_task_role_check():
    """A dependency-followed policy's own `arn` (an output) given as a map was looked up among the attached ARNs, a
    set: TypeError, and both task-role policies gave no verdict. Only text is an ARN (botocore iam
    AttachRolePolicy.PolicyArn); the roles are judged as before."""
    resources = program("policy_service_connect").resources
    odd = [reshaped(r, ("arn",), {"x": "y"}) if r.name == "locked-task-role-guard" else r for r in resources]
    policies = {"all": "disabled", "iam-task-role-no-ecs-sc-secrets": M, "iam-task-role-denies-ecs-sc-secrets": M}
    assert findings(evaluate(PACKS_OWN, odd, policies)) == findings(evaluate(PACKS_OWN, resources, policies))


def _customer_policy(statement: dict) -> Res:
    """A customer managed policy given as a map, so a value in it may be unknown."""
    return Res("aws:iam/policy:Policy", "keys", {"name": "keys", "policy": {"Version": "2012-10-17",
                                                                            "Statement": [statement]}})


@pytest.mark.parametrize("statement,actions", [
    ({"Effect": "Allow", "Action": "kms:*", "Resource": "arn:aws:kms:*:*:key/*"}, "kms:Decrypt and kms:ReEncryptFrom"),
    ({"Effect": "Allow", "Action": "KMS:de*", "Resource": "arn:aws:kms:*"}, "kms:Decrypt"),
    ({"Effect": "Allow", "Action": "*", "Resource": "arn:*:kms:*:*:*"}, "kms:Decrypt and kms:ReEncryptFrom"),
    ({"Effect": "Allow", "Action": "kms:ReEncryptFrom", "Resource": "arn:aws-us-gov:kms:*:*:key/*"},
     "kms:ReEncryptFrom"),
    # Patterns that together leave out no region; a NotResource that names no key.
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-*:*:key/*", "arn:aws:kms:*:*:*"]},
     "kms:Decrypt"),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": "arn:aws:s3:::orders/*"}, "kms:Decrypt"),
    # Every action on every resource but one bucket's: not iam-no-full-admin's, every key's all the same.
    ({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::orders/*"}, "kms:Decrypt and kms:ReEncryptFrom"),
    # Not every key: one account's, one region's, one key's, aliases; not decryption; a Deny.
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:111122223333:key/*"}, None),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:*:key/*"}, None),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:us-*:*:key/*", "arn:aws:kms:eu-*"]}, None),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:*:alias/*"}, None),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": "arn:aws:kms:us-east-1:111122223333:key/k1"}, None),
    ({"Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncryptTo"], "Resource": "*"},
     None),
    ({"Effect": "Allow", "NotAction": "kms:*", "Resource": "*"}, None),
    ({"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}, None),
    # Unknown until the update: the action, a resource, the statement.
    ({"Effect": "Allow", "Action": UNKNOWN, "Resource": "*"}, None),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["*", UNKNOWN]}, None),
    (UNKNOWN, None),
])
def test_decryption_with_every_kms_key(statement, actions):
    found = findings(analyze([_customer_policy(statement)], {"all": "disabled", DECRYPT: M}))
    assert [message for _, _, message in found] == (
        [f"policy statement 0 allows {actions} on every KMS key"] if actions else [])


@pytest.mark.parametrize("statement,allows", [
    ({"Effect": "Allow", "Action": ["s3:GetObject", "ec2:*", "*:*"], "Resource": "*"}, "ec2:*"),
    ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::orders/*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}, "*"),
    ({"Effect": "Allow", "NotAction": ["iam:*", "organizations:List*"], "Resource": "*"}, "every action but iam:*"),
    # iam-no-full-admin's, once: every action on every resource, whatever else the Action holds.
    ({"Effect": "Allow", "Action": ["s3:*", "*"], "Resource": ["*"]}, None),
    # A prefix with a suffixed wildcard, one action left out, a Deny, no service.
    ({"Effect": "Allow", "Action": ["ec2:Describe*", "s3:Get*"], "Resource": "*"}, None),
    ({"Effect": "Allow", "NotAction": "iam:CreateUser", "Resource": "*"}, None),
    ({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, None),
    ({"Effect": "Allow", "Action": "s3:", "Resource": "*"}, None),
    # A wildcard in the service names none: IAM refuses the policy, which grants nothing.
    ({"Effect": "Allow", "Action": ["*:*", "s3*:*"], "Resource": "arn:aws:s3:::orders/*"}, None),
    ({"Effect": "Allow", "NotAction": "*:*", "Resource": "*"}, None),
    # Unknown until the update.
    ({"Effect": "Allow", "Action": ["s3:*", UNKNOWN], "Resource": "arn:aws:s3:::orders/*"}, None),
    (UNKNOWN, None),
])
def test_every_action_of_a_service(statement, allows):
    found = findings(analyze([_customer_policy(statement)], {"all": "disabled", WILDCARDS: M}))
    assert [message for _, _, message in found] == (
        [f"policy statement 0 allows {allows}: a wildcard for every action of a service; name the actions it needs"]
        if allows else [])


@pytest.mark.parametrize("policy", [ADMIN, WILDCARDS])
def test_an_action_with_a_wildcard_in_its_service_is_no_rules_finding(policy):
    """IAM's grammar puts wildcards in an action's name only: `*:*` on `*` is no administrator (IAM.1 reads `*`
    alone) and no service's every action; IAM refuses the document, so the two rules agree on no finding."""
    found = findings(analyze([_customer_policy({"Effect": "Allow", "Action": "*:*", "Resource": "*"})],
                             {"all": "disabled", policy: M}))
    assert not found


@pytest.mark.parametrize("name,exempt,found", [("ops-archive", ["ops-*"], False), ("app-archive", ["ops-*"], True),
                                               (UNKNOWN, ["ops-*"], False), (UNKNOWN, [], True)])
def test_a_policy_the_knob_names_may_allow_every_action_of_a_service(name, exempt, found):
    """Read once there is a finding: an inline policy's name unknown until the update may be one the knob names, but
    not where the knob names none (a first preview then finds what the update's preview finds)."""
    inline = Res("aws:iam/rolePolicy:RolePolicy", "archive", {"name": name, "role": "app", "policy": json.dumps({
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::orders/*"}]})})
    config = {"all": "disabled", WILDCARDS: {"enforcementLevel": M, "exemptPolicies": exempt}}
    assert bool(findings(analyze([inline], config))) is found


EXEMPT_CI = {"all": "disabled", USERS: {"enforcementLevel": M, "exemptUsers": ["ci-*"]}}
ONLY_USERS = {"all": "disabled", USERS: M}


def _attachment(props: dict) -> list[Res]:
    return [Res("aws:iam/policyAttachment:PolicyAttachment", "attachment",
                {"name": "shared", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess", **props})]


@pytest.mark.parametrize("users,config,found", [
    # Known to name a user: reported whatever its name, unless the knob names them all.
    ([UNKNOWN], ONLY_USERS, True),
    (["ci-deployer", "alice"], EXEMPT_CI, True),
    (["ci-deployer", "ci-tester"], EXEMPT_CI, False),
    # A name unknown until the update may be one the knob names.
    (["ci-deployer", UNKNOWN], EXEMPT_CI, False),
    # A list unknown as a whole may be empty, as an empty one is.
    (UNKNOWN, ONLY_USERS, False),
    ([], ONLY_USERS, False),
])
def test_a_policy_attachment_is_judged_by_the_users_it_lists(users, config, found):
    assert [message for _, _, message in findings(analyze(_attachment({"users": users}), config))] == (
        [LISTED] if found else [])


@pytest.mark.parametrize("arns,found", [(["arn:aws:iam::aws:policy/ReadOnlyAccess"], True), ([UNKNOWN], True),
                                        (UNKNOWN, False), ([], False)])
def test_an_exclusive_attachment_is_judged_by_the_policies_it_attaches(arns, found):
    exclusive = Res("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "exclusive",
                    {"userName": "alice", "policyArns": arns})
    assert [message for _, _, message in findings(analyze([exclusive], ONLY_USERS))] == (
        [EXCLUSIVE] if found else [])


@pytest.mark.parametrize("config,found", [(ONLY_USERS, True), (EXEMPT_CI, False)])
def test_a_user_unknown_until_the_update_is_reported_where_no_user_is_exempt(config, found):
    inline = Res("aws:iam/userPolicy:UserPolicy", "inline", {"user": UNKNOWN, "policy": "{}"})
    assert [message for _, _, message in findings(analyze([inline], config))] == ([INLINE] if found else [])
