"""SNS topics: messages at rest encrypted with a KMS key, and a topic policy that names who may use the topic.

A topic without a policy gets SNS's default one, which allows Principal `{"AWS": "*"}` only under
`AWS:SourceOwner` equal to the topic's account: not public. A TopicPolicy replaces the topic's policy
(SetTopicAttributes Policy)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import is_set
from ..core.registry import resource_policy, stack_policy
from ..iam.documents import public_grant, public_resource_policies
from . import TOPIC, TOPIC_POLICY


@resource_policy(
    "sns-topic-kms-encrypted", TOPIC,
    description="SNS topics must encrypt messages at rest with a KMS key.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SNS.1", "Config sns-encrypted-kms", "CKV_AWS_26"),
)
def kms_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`kmsMasterKeyId` is set (an alias, such as AWS's `alias/aws/sns`, or a customer managed key). AWS services
    that publish to a topic (EventBridge rules, S3 event notifications and the others SNS's "Key management" page
    lists) need a customer managed key whose policy lets their service principal use it (`kms:GenerateDataKey*`,
    `kms:Decrypt`): the AWS managed key's policy cannot be changed, so their messages never reach a topic under it"""
    if not is_set(args.props, "kmsMasterKeyId"):
        yield "kmsMasterKeyId is not set; messages wait on the topic unencrypted"


@stack_policy(
    "sns-topic-policy-not-public", (TOPIC, TOPIC_POLICY),
    description="No SNS topic policy may let every AWS account publish to, subscribe to or manage the topic.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub SNS.4", "Config sns-topic-no-public-access", "CKV_AWS_169"),
)
def topic_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a topic's policy (its `policy`, or a TopicPolicy's, which replaces it; a TopicPolicy for a
    topic outside the stack too) has Principal `*` (or `{"AWS": "*"}`) or a NotPrincipal unless its condition names the
    callers by fixed values of `aws:SourceOwner`, `aws:SourceAccount`, `aws:SourceArn` (a fixed ARN, a bucket's too, or
    one of a fixed account), `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce`, ... under an equality or
    like operator (not Null, IfExists, ForAllValues or a negation; no policy variable, no wildcard in an account or
    organization id or in an ARN without an account), lets in only AWS services (a fixed `aws:PrincipalServiceName` or
    `aws:PrincipalServiceNamesList`, or `aws:PrincipalIsAWSService` true (Bool or a string equality), as Principal
    `{"Service": ...}` does: not public by AWS's rule for DynamoDB's block public access, which the pack extends to
    other resource policies), or limits them to addresses (IpAddress on `aws:SourceIp`, CIDRs that do not add up to
    every public address, as the security group policies count them: S3's meaning of public); unknown documents or
    conditions are not judged"""
    for owner, statement in public_resource_policies(args.resources, (TOPIC,), TOPIC_POLICY, "arn", ("arn", "id"),
                                                   "topic"):
        yield public_grant(statement, "use the topic", "name the principals, or add a condition such as StringEquals "
                           "aws:SourceAccount (or AWS:SourceOwner) <account>, or aws:SourceArn of the publishing "
                           "resource", naming="an account, organization or source"), owner.urn
