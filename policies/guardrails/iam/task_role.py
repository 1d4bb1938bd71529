"""Task roles (`taskRoleArn` of ECS task definitions) and the Service Connect TLS secrets.

ECS keeps Service Connect's private keys in Secrets Manager as `ecs-sc!*` secrets; an application's task role
must not be able to read them. A role's permissions are gathered from its inline policies, `RolePolicy`
resources, and attached policies (`managedPolicyArns`, `RolePolicyAttachment`, `PolicyAttachment`,
`RolePolicyAttachmentsExclusive`): customer policies in the stack are read, AWS-managed ones that grant
`secretsmanager:GetSecretValue` on every secret, or on `ecs-sc!*` (ECS's own policy for the TLS role), are known by
name.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Iterator, NamedTuple, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, arn_account, as_list, in_words, peek, peek_items
from ..core.registry import ADVISORY, stack_policy
from ..core.stack import may_refer, of_type, prop, referenced, region_of
from ..ecs import SC_SECRET_PREFIX, SERVICE, TASK_DEFINITION
from ..ecs.links import task_definition_run_by
from ..ecs.service_connect import is_enabled
from . import ATTACHMENTS, POLICY, POLICY_ARN_LISTS, ROLE, ROLE_POLICY
from .documents import SearchTooLarge, common_match, evaluate, statements, uncovered

ACTION = "secretsmanager:GetSecretValue"


class Secrets(NamedTuple):
    """The ecs-sc! secrets of one partition (IAM matches an ARN's partition literally: a Deny written for `aws` denies
    nothing in `aws-us-gov`)."""
    pattern: str  # every ecs-sc! secret, as a Deny names them
    # The ARNs the pattern can name in fact: a region, a 12-character account, and the name with the hyphen and six
    # random characters Secrets Manager appends (CreateSecret's Name); none of those parts holds a colon.
    arns: str
    # An ARN of the kind ECS creates, to test policies against (IAM matches wildcards across the whole ARN).
    probe_parts: tuple[str, ...]


def secrets_in(partition: str) -> Secrets:
    return Secrets(f"arn:{partition}:secretsmanager:*:*:secret:{SC_SECRET_PREFIX}*",
                   f"arn:{partition}:secretsmanager:?*:????????????:secret:{SC_SECRET_PREFIX}*-??????",
                   ("arn", partition, "secretsmanager", _PROBE_REGIONS.get(partition, "us-east-1"), "123456789012",
                    "secret", f"{SC_SECRET_PREFIX}probe-AbCdEf"))


# A region of each partition but aws's, for the probe, and the region prefixes that say which partition a provider's
# region is in (botocore's endpoints.json `regionRegex`es).
_PROBE_REGIONS = {"aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1", "aws-iso": "us-iso-east-1",
                  "aws-iso-b": "us-isob-east-1", "aws-iso-e": "eu-isoe-west-1", "aws-iso-f": "us-isof-south-1",
                  "aws-eusc": "eusc-de-east-1"}
_REGION_PARTITIONS = (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"), ("us-iso-", "aws-iso"),
                      ("eu-isoe-", "aws-iso-e"), ("us-isof-", "aws-iso-f"), ("eusc-", "aws-eusc"))
AWS_SECRETS = secrets_in("aws")


def _allows_reading(resource: str, sid: str = "0") -> str:
    return json.dumps({"Statement": [{"Sid": sid, "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                                      "Resource": resource}]})


# AWS-managed policies that allow GetSecretValue on every secret, or on Service Connect's own, or IAM writes with which
# a role grants itself that: what of each decides.
MANAGED_POLICIES = {
    **dict.fromkeys(("arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess",
                     "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
                     "arn:aws:iam::aws:policy/AWSSecretsManagerClientReadOnlyAccess"),  # ...:secret:*
                    _allows_reading("*")),
    # ECS's infrastructure role policy: its RotateTLSCertificateSecret statement reads ecs-sc!* secrets under
    # conditions every key ECS makes meets (owned by the ecs-sc service, in the principal's own account).
    "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity":
        _allows_reading("arn:*:secretsmanager:*:*:secret:ecs-sc!*", "RotateTLSCertificateSecret"),
    # iam:* on every resource (its other statements read organizations and access analyzer, nothing judged here).
    "arn:aws:iam::aws:policy/IAMFullAccess": json.dumps(
        {"Statement": [{"Sid": "0", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}),
}
# AWS-managed policies' ARNs, in any partition (arn:aws:iam::aws:policy/<path><name>).
AWS_MANAGED = re.compile(r"arn:[a-z-]+:iam::aws:policy/")
# IAM actions with which a role changes its own permissions, and then reads every ecs-sc! secret: on its own role,
# PutRolePolicy writes an inline policy (or overwrites one that holds a Deny), AttachRolePolicy attaches
# AdministratorAccess, DeleteRolePolicy and DetachRolePolicy take off the inline or attached policy that holds the Deny;
# on a customer policy the role has attached, CreatePolicyVersion with SetAsDefault rewrites it (the new version is the
# one IAM evaluates at once). None of them lifts a Deny in a policy it does not take off or rewrite (IAM: an explicit
# Deny in any policy wins). Permissions boundaries are not read (the check judges a role as if it had none), so
# PutRolePermissionsBoundary and DeleteRolePermissionsBoundary change nothing it judges.
SELF_GRANTING_ACTIONS = ("iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:DeleteRolePolicy",
                         "iam:DetachRolePolicy", "iam:AttachRolePolicy")
PUT, CREATE_VERSION, DELETE, DETACH, ATTACH = SELF_GRANTING_ACTIONS
# RolePolicy.role, RolePolicyAttachment.role, PolicyAttachment.roles and RolePolicyAttachmentsExclusive.roleName
# take role names (pulumi-aws docstrings: "The name of the IAM role"); a value read from the role itself comes with
# a property dependency, so a literal is compared with the name alone (an unknown ARN cannot make it "maybe").
ROLE_KEYS = ("name",)


class _Policy(NamedTuple):
    """One policy that applies to a role: where from, its document (UNKNOWN: unknown), the call that takes it off the
    role (iam:DeleteRolePolicy for an inline one, iam:DetachRolePolicy for an attached one), and for a customer
    policy in the stack the Policy resource, whose ARNs (see _iam_arns) a rewrite of it must be allowed on."""
    source: str
    document: Any
    removed_by: str
    resource: Any = None


def _probe_for(resource_pattern: str, probe: tuple[str, ...]) -> str:
    """The probe ARN in the pattern's own region and account, so a pattern pinned to one account still matches."""
    parts = resource_pattern.split(":", 6)
    if len(parts) == 7 and parts[0] == "arn":
        return ":".join([*probe[:3], parts[3] if "*" not in parts[3] else probe[3],
                         parts[4] if "*" not in parts[4] else probe[4], *probe[5:]])
    return ":".join(probe)


def _in_aws_partition(arn: Any) -> Any:
    """An ARN with its partition (aws-us-gov, aws-cn, ...) written `aws`."""
    return re.sub(r"^arn:aws-[a-z-]+:", "arn:aws:", arn) if isinstance(arn, str) else arn


def _attached(holder: Any, prop_name: str, arns: list, policies: list) -> Iterator[_Policy]:
    """The policies `holder.<prop_name>` attaches (the AWS-managed ones in MANAGED_POLICIES by name)."""
    for arn in arns:
        # The same policy in every partition; only text is an ARN (a map would not hash).
        managed = MANAGED_POLICIES.get(_in_aws_partition(arn)) if isinstance(arn, str) else None
        if managed is not None:
            yield _Policy(f"policy {arn}", managed, DETACH)
    # A customer policy's ARN ends in its name (arn:aws:iam::<account>:policy/<path><name>): an ARN the program
    # builds from the name names it while its own ARN is unknown, and a known ARN can name no other policy whose name
    # is known, so only policies of unknown name leave it open. An AWS-managed ARN (account `aws`) names no customer
    # policy, whatever its name: a stack's own `SecretsManagerReadWrite` is another policy.
    arns = [arn for arn in arns if not (isinstance(arn, str) and AWS_MANAGED.match(arn))]
    many = prop_name in POLICY_ARN_LISTS
    found, _ = referenced(holder, prop_name, arns, policies, keys=("arn", "name"), many=many)
    unnamed = [p for p in policies if not isinstance(peek(p.props, "name"), str)]
    maybe = bool(unnamed) and referenced(holder, prop_name, arns, unnamed, keys=("arn", "name"), many=many)[1]
    for policy in found:
        yield _Policy(f"policy {policy.name}", peek(policy.props, "policy"), DETACH, policy)
    # An unknown ARN is a policy the property's dependencies name (`policy_arn=guard.arn`, found above), or one with
    # no dependency to follow (a stack reference): any policy at all.
    deps = {d.urn for d in holder.property_dependencies.get(prop_name, [])}
    strings = [arn for arn in arns if isinstance(arn, str)]  # a list: a policy's own `arn` may be a map (no hash)
    followed = [p for p in found if p.urn in deps and peek(p.props, "arn") not in strings]
    if maybe or sum(arn is UNKNOWN for arn in arns) > len(followed):
        yield _Policy(f"a policy attached by {holder.name}", UNKNOWN, DETACH)


def _attachments(role: Any, resources: list, policies: list) -> Iterator[_Policy]:
    """The documents attachment resources give `role`; one that may name it (an unknown role) gives UNKNOWN, not
    its policies, which may belong to another role."""
    for kind, attaches in ATTACHMENTS.items():
        if attaches.roles is None:
            continue
        holders = (of_type(resources, kind) if attaches.many_roles else
                   may_refer(resources, (kind,), attaches.roles, role, keys=ROLE_KEYS))
        for holder in holders:
            found, maybe = referenced(holder, attaches.roles, peek_items(holder.props, attaches.roles), [role],
                                      keys=ROLE_KEYS, many=attaches.many_roles)
            if found:
                yield from _attached(holder, attaches.arns, peek_items(holder.props, attaches.arns), policies)
            elif maybe:
                yield _Policy(f"the policies {holder.name} attaches", UNKNOWN, DETACH)


def _policies(role: Any, resources: list) -> list[_Policy]:
    """Every policy that applies to `role` (built once per role: every question about it reads these)."""
    return list(_each_policy(role, resources))


def _each_policy(role: Any, resources: list) -> Iterator[_Policy]:
    for i, inline in enumerate(peek_items(role.props, "inlinePolicies")):
        yield _Policy(f"inline policy '{peek(inline, 'name') or i}'",
                      UNKNOWN if inline is UNKNOWN else peek(inline, "policy"), DELETE)
    policies = of_type(resources, POLICY)
    yield from _attached(role, "managedPolicyArns", peek_items(role.props, "managedPolicyArns"), policies)
    for holder in may_refer(resources, (ROLE_POLICY,), "role", role, keys=ROLE_KEYS):
        found, maybe = referenced(holder, "role", [peek(holder.props, "role")], [role], keys=ROLE_KEYS)
        if found or maybe:
            yield _Policy(f"role policy {holder.name}", peek(holder.props, "policy") if found else UNKNOWN, DELETE)
    yield from _attachments(role, resources, policies)


def _documents(policies: list[_Policy]) -> list[tuple[str, Any]]:
    """(source, document or UNKNOWN) of each policy, as `evaluate` reads them."""
    return [(policy.source, policy.document) for policy in policies]


def _any_unknown(policies: list[_Policy]) -> bool:
    """Whether a policy's document is unknown: it could hold a Deny, so neither check says anything of the role."""
    return any(policy.document is UNKNOWN for policy in policies)


def _secrets_of(role: Any, policies: list[_Policy]) -> Optional[Secrets]:
    """The ecs-sc! secrets of the role's partition: its provider's region's, else its known ARN's (the offline
    preview's mocks write every ARN in aws's), else aws's unless its documents name secrets of another partition
    (then None: which one is not known until the role exists)."""
    region = region_of(role)
    if isinstance(region, str):
        return secrets_in(next((p for prefix, p in _REGION_PARTITIONS if region.startswith(prefix)), "aws"))
    arn = peek(role.props, "arn")
    if isinstance(arn, str) and arn.startswith("arn:") and arn.count(":") >= 2:
        return secrets_in(arn.split(":")[1])
    patterns = {p for _, document in _documents(policies) for p in _resource_patterns(document)}
    named = {p.split(":")[1] for p in patterns if p.startswith("arn:") and p.split(":")[2:3] == ["secretsmanager"]}
    return AWS_SECRETS if named <= {"aws", "*", ""} else None


def _patterns(statement: Any, key: str) -> list[str]:
    """A statement's known `Resource` or `NotResource` patterns."""
    return [p for p in as_list(statement.raw.get(key)) if isinstance(p, str)]


def _resource_patterns(document: Any) -> list[str]:
    return [p for s in statements(document, "") for key in ("Resource", "NotResource") for p in _patterns(s, key)]


@lru_cache(maxsize=None)
def _witness(pattern: str, arns: str) -> Optional[str]:
    # Kept per pattern: both task-role policies ask about every role, and roles share documents.
    return common_match(pattern, arns, not_in_b_wildcards=":")


@lru_cache(maxsize=None)
def _arn_witness(pattern: str, shape: str) -> Optional[str]:
    """An ARN of `shape` (an IAM ARN with its unknown parts wildcards) that `pattern` matches, or None."""
    return common_match(pattern, shape, not_in_b_wildcards=":")


def _iam_arns(resource: Any, kind: str, patterns: list[str]) -> list[str]:
    """The ARNs an IAM role (or customer policy: `kind`) is asked about; a statement must allow every one of them
    for it to count, so that what an unknown part might be never adds a finding the known ARN would not give.

    Its own when known. Else the parts unknown (the account always; the name, the path) are asked about twice:
    as a run of a character no pattern names, which only a pattern with that part all wildcards matches, true of
    it whatever the part is; and as the ARN of its shape each pattern matches (`_arn_witness`), so that a Deny or
    NotResource naming an account (`123456789012`), a name (`orders-*`), a path (`/service/*`) or a partition
    (`aws-us-gov`) that may be its own holds it back. A missing path is `/`, as IAM makes it. The partition is
    `aws`, unless some pattern names another: then one no pattern names."""
    arn = peek(resource.props, "arn")
    if isinstance(arn, str) and arn:
        return [arn]
    path, name = peek(resource.props, "path"), peek(resource.props, "name")
    free = next(c for c in "x~_-" + "".join(map(chr, range(0x100, 0x200))) if not any(c in p for p in patterns))
    known_path = path is not UNKNOWN
    path = path if isinstance(path, str) and path.startswith("/") and path.endswith("/") else "/"
    named = isinstance(name, str) and bool(name)
    partitions = {p.split(":")[1] for p in patterns if p.startswith("arn:") and p.count(":") >= 2}
    partition = "aws" if partitions <= {"aws"} or not any(p.strip("*?") for p in partitions - {"aws"}) else free * 3
    own_path = path if known_path else f"/{free}/"
    # Witnesses keep to the aws partition where no pattern names another (a `*` would otherwise witness one).
    shape = (f"arn:{'aws' if partition == 'aws' else '*'}:iam::????????????:{kind}{path if known_path else '/*'}"
             f"{name if named else '?*'}")
    witnesses = {_arn_witness(p, shape) for p in patterns} - {None}
    return [f"arn:{partition}:iam::{free * 12}:{kind}{own_path}{name if named else free}", *sorted(witnesses)]


def _allowed_on_all(documents: list, action: str, arns: list[str], account: Optional[str]) -> Any:
    """The Allow that grants `action` on each of `arns` (of the role's `account`) with no Deny of it, or None."""
    verdicts = [evaluate(iter(documents), action, arn, account) for arn in arns]
    return verdicts[0].allowed_by if verdicts and all(v.allowed_by and not v.denied for v in verdicts) else None


def _denies_action(policy: _Policy) -> bool:
    """Whether a (known) policy holds a Deny of ACTION, of any resource."""
    return any(s.effect == "Deny" and s.covers_action(ACTION) for s in statements(policy.document, policy.source))


class _Escalation(NamedTuple):
    """How a task role reaches every ecs-sc! secret by changing its own policies: the IAM calls (the Allow, the
    action, what on), and for a removal the policies taken off and the Allow their Denies kept from the keys."""
    calls: tuple[tuple[Any, str, str], ...]
    lifted: tuple[_Policy, ...] = ()
    exposed: Any = None


def _escalation(role: Any, policies: list[_Policy], secrets: Secrets, account: Optional[str]) -> Optional[_Escalation]:
    """How the role, whose documents are known and expose no secret as they are, can change them so they do.

    The policies it may change are those it may delete (DeleteRolePolicy) or overwrite (PutRolePolicy) inline,
    detach (DetachRolePolicy), or rewrite (CreatePolicyVersion with SetAsDefault, on a customer policy it has
    attached), and it may change all of them, one call after another. A call that adds a grant (PutRolePolicy,
    AttachRolePolicy of AdministratorAccess, CreatePolicyVersion) grants the role anything: a Deny of the keys kept
    on it does not help, since it may also grant itself iam:CreateRole, PutRolePolicy and sts:AssumeRole and read
    them as a role of its own making, which no Deny of this role binds. Removals alone reach them when some Allow
    stays without a Deny: one policy it may take off is kept (the one that holds the Allow, say), or none."""
    documents = _documents(policies)
    patterns = sorted({p for _, document in documents for p in _resource_patterns(document)})
    own = _iam_arns(role, "role", patterns)
    policy_arns = {i: _iam_arns(policy.resource, "policy", patterns)
                   for i, policy in enumerate(policies) if policy.resource is not None}
    on_role = {action: _allowed_on_all(documents, action, own, account) for action in (PUT, DELETE, DETACH, ATTACH)}
    rewritable = {i: _allowed_on_all(documents, CREATE_VERSION, arns, account) for i, arns in policy_arns.items()}
    changed = {i for i, policy in enumerate(policies)
               if on_role[policy.removed_by] or (policy.removed_by == DELETE and on_role[PUT]) or rewritable.get(i)}
    itself = "the role itself"
    versioned = [i for i, allowed in rewritable.items() if allowed]
    adding = [(on_role[PUT], PUT, itself), (on_role[ATTACH], ATTACH, itself)]
    if versioned:  # one call per policy, named together
        sources = _listed([policies[i].source for i in versioned])
        adding.insert(1, (rewritable[versioned[0]], CREATE_VERSION, f"{sources}, which the role has attached"))
    adding = [call for call in adding if call[0]]
    if adding:
        return _Escalation((adding[0],))
    for kept in (None, *sorted(changed)):
        exposed = _exposing_in([d for i, d in enumerate(documents) if i not in changed or i == kept], secrets, account)
        if exposed is not None:
            lifted = tuple(policies[i] for i in sorted(changed) if i != kept and _denies_action(policies[i]))
            actions = {policy.removed_by for policy in lifted} or {DELETE, DETACH}
            return _Escalation(tuple((on_role[a], a, itself) for a in (DELETE, DETACH) if a in actions and on_role[a]),
                               lifted, exposed)
    return None


def _exposing_in(documents: list, secrets: Secrets, account: Optional[str]) -> Any:
    """An Allow in these known (source, document) pairs that exposes some ecs-sc!* secret of the role's `account`
    (None: unknown), or None.

    Every document is asked about a fixed probe ARN, the probe moved into each pattern's region and account, and a
    witness ARN for each pattern that can name an ecs-sc! secret at all (`ecs-sc!a*`, one exact secret): an Allow
    that reaches one is reported unless a Deny covers that same ARN."""
    patterns = {p for _, d in documents for p in _resource_patterns(d)}
    witnesses = {_witness(p, secrets.arns) for p in patterns} - {None}
    probes = {":".join(secrets.probe_parts)} | {_probe_for(p, secrets.probe_parts) for p in patterns} | witnesses
    verdicts = [evaluate(iter(documents), ACTION, probe, account) for probe in sorted(probes)]
    return next((v.allowed_by for v in verdicts if v.allowed_by and not v.denied), None)


def _whatever_its_condition(statement: Any) -> str:
    """Why a conditional Allow still counts: its Condition's keys say nothing about which secret is read."""
    if not statement.conditional:
        return ""
    keys = ", ".join(statement.condition_keys or [])
    return f" (its Condition on {keys} holds whichever of the account's secrets is read)"


def _denies_all_in(documents: list, secrets: Secrets) -> Optional[bool]:
    """Whether the unconditional Denies of ACTION in these (source, document) pairs, together, cover every ARN an
    ecs-sc! secret can have (None: a document is unknown, and could hold the Deny).

    Probes cannot answer this: a Deny of `ecs-sc!p*`, or of one region, covers any probe it was built around. So the
    Denies' Resource patterns are asked exactly for an ecs-sc! ARN none of them matches (`uncovered`); a NotResource
    Deny covers them all when none of its patterns can name an ecs-sc! secret (`common_match`). A Deny with a
    Condition covers nothing for certain, and a Deny of other actions (DescribeSecret) does not count."""
    patterns, unknown = [], False
    for source, document in documents:
        if document is UNKNOWN:
            unknown = True
            continue
        for statement in statements(document, source):
            if statement.effect != "Deny" or statement.conditional or not statement.covers_action(ACTION):
                continue
            if "Resource" in statement.raw:
                patterns += _patterns(statement, "Resource")
            elif "NotResource" in statement.raw:
                if all(_witness(p, secrets.arns) is None for p in _patterns(statement, "NotResource")):
                    return True
    try:
        if uncovered(patterns, secrets.arns, not_in_b_wildcards=":") is None:
            return True
    except SearchTooLarge:
        return None  # too many wildcard patterns to decide in a preview's time: can't tell, so no finding
    return None if unknown else False


def _listed(items: list[str]) -> str:
    """The items in order, each once (a policy attached twice is one policy): "a", "a and b", "a, b and c"."""
    return in_words(list(dict.fromkeys(items)))


def _escalation_message(escalation: _Escalation, secrets: Secrets) -> str:
    """What the calls allow, and what they lift or grant."""
    by_statement: dict[str, list[str]] = {}
    for statement, action, _ in escalation.calls:
        by_statement.setdefault(statement.label, []).append(action)
    allowing = {statement.label: statement for statement, _, _ in escalation.calls}
    allows = _listed([f"{label} allows {_listed(actions)}" for label, actions in by_statement.items()])
    conditions = "".join(_whatever_its_condition(s) for s in allowing.values())
    target = escalation.calls[0][2]
    if not escalation.lifted:
        return (f"{allows} on {target}{conditions}, so the task can grant itself {ACTION} on {secrets.pattern}, or "
                "grant it to a role it makes and assumes, which no Deny of this role binds")
    removals = list(dict.fromkeys(f"{'deleting' if p.removed_by == DELETE else 'detaching'} {p.source}"
                                  for p in escalation.lifted))
    lifts = "lifts the Deny that keeps" if len(removals) == 1 else "lift the Denies that keep"
    taken = _listed(removals)
    return f"{allows} on {target}{conditions}; {taken} {lifts} {escalation.exposed.label} from {secrets.pattern}"


def task_roles(resources: list, only_service_connect: bool = False) -> list[Any]:
    """Roles that ECS task definitions (of Service Connect services, when asked) give their tasks."""
    tasks = of_type(resources, TASK_DEFINITION)
    if only_service_connect:
        tasks = [t for t in (task_definition_run_by(s, resources) for s in of_type(resources, SERVICE)
                             if is_enabled(s)) if t is not None]
    roles = of_type(resources, ROLE)
    found: dict[str, Any] = {}
    for task in tasks:
        # ECS takes the role's name or ARN; an ARN the program builds from the name (its own ARN unknown until the
        # role exists) matches by its last part.
        for role in referenced(task, "taskRoleArn", [peek(task.props, "taskRoleArn")], roles, keys=("arn", "name"))[0]:
            found[role.urn] = role
    return list(found.values())


@stack_policy(
    "iam-task-role-no-ecs-sc-secrets", ROLE,
    description="ECS task roles must not be able to read Service Connect's TLS keys (ecs-sc!* secrets).",
    severity=Severity.HIGH,
)
def no_ecs_sc_secrets(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no policy of a task role allows `secretsmanager:GetSecretValue` on an `ecs-sc!*` secret of the role's partition
    without a Deny, nor lets the role change its own permissions to get it, judged on every change it may make:
    `iam:PutRolePolicy` or `iam:AttachRolePolicy` on itself, or `iam:CreatePolicyVersion` on a customer policy it
    has attached (each lets it grant itself anything: a Deny of the keys on the role does not bind a role it makes
    and assumes); `iam:DeleteRolePolicy` or `iam:DetachRolePolicy` on itself when taking off what they may take off
    lifts the Deny that kept an Allow from the keys. An Allow with a Condition counts when its keys are the same
    whichever resource is named (aws:RequestedRegion, aws:SecureTransport, aws:SourceVpc, aws:SourceIp,
    aws:PrincipalAccount, ...), or asks for a secret of the role's own account (aws:ResourceAccount
    `${aws:PrincipalAccount}`, or the account of the role's known ARN written out); one on a resource's tags or
    name, a principal's ARN or tags, or MFA, may not reach the task's requests"""
    for role in task_roles(args.resources):
        policies = _policies(role, args.resources)
        secrets = None if _any_unknown(policies) else _secrets_of(role, policies)
        if secrets is None:
            continue
        # The role's account (of its ARN; None until that is known), where ECS keeps its tasks' ecs-sc! secrets, only
        # adds findings: whatever is found without it, as in a first preview, is reported in the same words once known.
        account = arn_account(peek(role.props, "arn"))
        message = _exposure(role, policies, secrets, None) or (account and _exposure(role, policies, secrets, account))
        if message:
            yield f"task role {prop(role, 'name') or role.name}: {message}", role.urn


def _exposure(role: Any, policies: list[_Policy], secrets: Secrets, account: Optional[str]) -> Optional[str]:
    """How the role reaches some ecs-sc! secret (of its `account`, None: unknown), now or by changing its own
    policies, as a finding says it; None if it cannot."""
    allowed = _exposing_in(_documents(policies), secrets, account)
    if allowed is not None:
        # Worded for any program: the grant reaches the keys of whichever services in the account use Service
        # Connect TLS, this program's or not, so it is too broad either way.
        return (f"{allowed.label} allows {ACTION} on {secrets.pattern}{_whatever_its_condition(allowed)}, where ECS "
                "keeps the TLS private keys of any Service Connect service in the account; narrow its Resource to the "
                "app's own secrets or deny ecs-sc!*")
    escalation = _escalation(role, policies, secrets, account)
    return None if escalation is None else (f"{_escalation_message(escalation, secrets)}; take IAM write actions off "
                                            "task roles")


@stack_policy(
    "iam-task-role-denies-ecs-sc-secrets", ROLE,
    description="Task roles of Service Connect services should explicitly deny reading ecs-sc!* secrets.",
    severity=Severity.LOW, level=ADVISORY,
)
def denies_ecs_sc_secrets(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """the task role of a Service Connect service has an unconditional Deny of `secretsmanager:GetSecretValue` on
    `arn:<partition>:secretsmanager:*:*:secret:ecs-sc!*`, in the role's partition (its provider's region's, else its
    ARN's, else the aws partition): its Denies must cover that action on every ARN an ecs-sc! secret can have (one of
    `ecs-sc!a*`, of one region or account, of `DescribeSecret` only, or with a `Condition` does not)"""
    for role in task_roles(args.resources, only_service_connect=True):
        policies = _policies(role, args.resources)
        secrets = None if _any_unknown(policies) else _secrets_of(role, policies)
        if secrets is not None and _denies_all_in(_documents(policies), secrets) is False:
            yield (f"task role {prop(role, 'name') or role.name} has no Deny of {ACTION} on {secrets.pattern}; add one "
                   "so a later broad grant cannot expose Service Connect's private keys"), role.urn
