"""IAM policy documents built as data and serialised once.

Documents are plain dicts rendered with json.dumps (no provider invoke), so they are the same under
mocks and in a real run, and tests can parse them back.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Optional, Sequence

import pulumi


def statement(actions: Sequence[str], resources: Sequence[Any], *, sid: str | None = None,
              conditions: dict | None = None) -> dict:
    out: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": list(resources)}
    if sid:
        out["Sid"] = sid
    if conditions:
        out["Condition"] = conditions
    return out


def policy_json(statements: Iterable[dict]) -> pulumi.Output[str]:
    """A policy document whose resources may be Outputs (ARNs known only after creation)."""
    return pulumi.Output.from_input({"Version": "2012-10-17", "Statement": list(statements)}).apply(json.dumps)


def key_policy(account_id: pulumi.Input[str], statements: Iterable[dict]) -> pulumi.Output[str]:
    """A KMS key policy: the account administers the key (so that IAM policies can grant its use), then
    `statements`. In a key policy, "*" means this key (the policy is attached to it)."""
    return policy_json([{"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": account_root(account_id)},
                         "Action": "kms:*", "Resource": "*"}, *statements])


def account_root(account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """The account as a principal: any of its identities that an IAM policy allows."""
    return pulumi.Output.from_input(account_id).apply(lambda a: f"arn:aws:iam::{a}:root")


def assume_role_policy(service: str, *, conditions: dict | None = None) -> str:
    principal = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if conditions:
        principal["Condition"] = conditions
    return json.dumps({"Version": "2012-10-17", "Statement": [principal]})


def service_trust_policy(service: str, account_id: pulumi.Input[str], *, source_arn: pulumi.Input[str] | None = None,
                         if_exists: bool = False) -> pulumi.Output[str]:
    """Trust for an AWS service acting for this account only (confused deputy): `aws:SourceAccount`, and
    `aws:SourceArn` when the service documents which of its resources makes the call. `if_exists` for a
    service that does not document setting the keys: another account's request that carries them is still
    refused, and a request without them is not broken."""
    suffix = "IfExists" if if_exists else ""
    conditions: dict[str, Any] = {f"StringEquals{suffix}": {"aws:SourceAccount": account_id}}
    if source_arn is not None:
        conditions[f"ArnLike{suffix}"] = {"aws:SourceArn": source_arn}
    return pulumi.Output.from_input(conditions).apply(
        lambda resolved: assume_role_policy(service, conditions=resolved))


def deny(actions: Sequence[str], resources: Sequence[Any], *, sid: str) -> dict:
    """An explicit Deny: it wins over any Allow another policy grants."""
    return {"Sid": sid, "Effect": "Deny", "Action": list(actions), "Resource": list(resources)}


def arn_service_region(arn: str) -> tuple[str, str]:
    """(service, region) of an ARN (`arn:<partition>:<service>:<region>:...`): for a secret, the API it is read from
    (`secretsmanager` or `ssm`) and where."""
    parts = arn.split(":", 4)
    return parts[2], parts[3]


def secret_keys_decrypt(key_arns: Sequence[str], secret_arns: Iterable[str], *, sid: str) -> dict:
    """kms:Decrypt on the customer managed keys of secrets (Secrets Manager or SSM parameter ARNs), only as those
    services, in the secrets' own regions, decrypt them for the caller."""
    via = sorted({"{}.{}.amazonaws.com".format(*arn_service_region(arn)) for arn in secret_arns})
    return statement(["kms:Decrypt"], list(key_arns), sid=sid, conditions={"StringEquals": {"kms:ViaService": via}})


# Secrets Manager appends a hyphen and six random characters to a secret's name in its ARN.
_SECRET_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")


def secret_resource_arn(value_from: str) -> str:
    """The IAM resource of a `secrets` valueFrom: a Secrets Manager ARN without a json-key suffix. A partial ARN
    (no random suffix: ECS and Secrets Manager accept it) would match no secret in IAM, so it gets the suffix's
    wildcard, as AWS's IAM examples write it."""
    parts = value_from.split(":")
    if parts[2] != "secretsmanager":
        return value_from
    arn = ":".join(parts[:7])
    return arn if _SECRET_SUFFIX.search(parts[6]) else f"{arn}-??????"


# IAM's quota on a role's inline policies together, in characters without white space (the IAM quotas page).
ROLE_INLINE_POLICY_CHARS = 10240


def secret_read_statements(value_froms: Iterable[str], kms_keys: Sequence[str],
                           injected: Sequence[Any] = ()) -> list[dict]:
    """What an execution role needs to inject secrets (`secrets` valueFroms) into a container: read each secret or
    parameter, and decrypt with the customer managed keys, as the secrets' services only. `injected`: more
    Secrets Manager ARNs ECS reads for the task (a data plane's own)."""
    secrets = sorted({secret_resource_arn(v) for v in value_froms})
    secrets_manager = [*injected, *(a for a in secrets if arn_service_region(a)[0] == "secretsmanager")]
    parameters = [a for a in secrets if arn_service_region(a)[0] == "ssm"]
    statements = []
    if secrets_manager:
        statements.append(statement(["secretsmanager:GetSecretValue"], secrets_manager, sid="InjectedSecrets"))
    if parameters:
        statements.append(statement(["ssm:GetParameters"], parameters, sid="InjectedParameters"))
    if kms_keys:
        statements.append(secret_keys_decrypt(kms_keys, secrets, sid="InjectedSecretsKeys"))
    return statements


ECR_PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")


def execution_role_statements(log_streams: Sequence[Any], mirror_repositories: Any, app_repository: Optional[str],
                              secret_reads: Sequence[dict]) -> list[dict]:
    """A task's execution role, what ECS does to start it: write its containers' log streams, log in to ECR, pull
    ECR Public's images through the pull-through cache (the first pull of an image creates its repository under
    the cache prefix and imports it) and the app's from its own repository, and read the secrets it injects
    (`secret_reads`, from secret_read_statements). Config sizes the same statements against IAM's quota."""
    statements = [
        statement(["logs:CreateLogStream", "logs:PutLogEvents"], list(log_streams), sid="ContainerLogs"),
        statement(["ecr:GetAuthorizationToken"], ["*"], sid="EcrLogin"),
        statement([*ECR_PULL_ACTIONS, "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                  [mirror_repositories], sid="EcrPublicMirror"),
    ]
    if app_repository:
        statements.append(statement(ECR_PULL_ACTIONS, [app_repository], sid="EcrPull"))
    return statements + list(secret_reads)


def policy_chars(statements: Iterable[dict]) -> int:
    """A policy's size as IAM counts it against its quotas: characters, white space not counted."""
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return len(re.sub(r"\s", "", document))
