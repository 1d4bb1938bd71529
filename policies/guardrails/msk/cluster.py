"""MSK (provisioned) clusters, judged by what pulumi-aws sends and what CreateCluster does with what it leaves out
(terraform-provider-aws `aws_msk_cluster`: within `encryptionInfo.encryptionInTransit` the provider defaults
`clientBroker` to TLS and `inCluster` to true, and sends no block it is not given, for which botocore's kafka model
gives inCluster true and clientBroker TLS_PLAINTEXT (MSK's developer guide says TLS);
`connectivityInfo.publicAccess.type` left out is MSK's DISABLED; without
`clientAuthentication` a cluster has no SASL or TLS client authentication; broker logs go nowhere unless
`loggingInfo` turns a destination on)."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, has_text, is_true, peek, peek_items
from ..core.registry import resource_policy, stack_policy
from ..core.switches import switch_policy
from ..iam.documents import accounts_that, public_grant, public_resource_policies
from . import CLUSTER, CLUSTER_POLICY, undelivered_logs

IN_TRANSIT = ("encryptionInfo", "encryptionInTransit")


switch_policy(
    "msk-cluster-in-cluster-encryption", CLUSTER, "encryptionInfo.encryptionInTransit.inCluster",
    "the brokers replicate every record to each other in plain text; set it true (or leave it out: MSK's default is "
    "true; the provider replaces the cluster to change it)",
    left_out=True,
    description="MSK clusters must encrypt the traffic between their brokers, so no one inside the VPC reads the "
                "records the brokers replicate to each other.",
    severity=Severity.HIGH,
    anchors=("Security Hub MSK.1", "Config msk-in-cluster-node-require-tls", "cdk-nag MSK3"),
    checks="""
    `encryptionInfo.encryptionInTransit.inCluster` is not false (left out, true: the provider's default within the
    block, and MSK's without it); an unknown value is not judged""",
)


@resource_policy(
    "msk-cluster-client-tls", CLUSTER,
    description="MSK clusters must take TLS only from their clients, so records and credentials never cross the "
                "network in plain text.",
    severity=Severity.HIGH,
    anchors=("cdk-nag MSK2",),
    anchor_note="Security Hub's MSK.1 judges the traffic between brokers only",
)
def client_tls(args: ResourceValidationArgs) -> Iterator[str]:
    """`encryptionInfo.encryptionInTransit.clientBroker` is TLS, or left out: within a sent `encryptionInTransit`
    the provider's default is TLS, and without one the provider sends nothing and MSK makes the cluster TLS-only (its
    developer guide, CloudFormation reference and Security Hub say so, and terraform-provider-aws's acceptance test of
    a cluster without `encryption_info` reads TLS back from AWS; only the API reference's member documentation says
    TLS_PLAINTEXT); TLS_PLAINTEXT and PLAINTEXT fail; an unknown value is not judged"""
    broker = peek(args.props, *IN_TRANSIT, "clientBroker")
    if broker is UNKNOWN or broker is None or broker == "TLS":
        return
    if broker == "TLS_PLAINTEXT":
        yield ("encryptionInfo.encryptionInTransit.clientBroker is TLS_PLAINTEXT: the brokers also take plain-text "
               "clients, whose records anyone on the network path can read; set TLS")
    else:
        yield (f"encryptionInfo.encryptionInTransit.clientBroker is {broker}: clients send and read records in plain "
               "text; set TLS")


@resource_policy(
    "msk-cluster-not-public", CLUSTER,
    description="MSK clusters must not have public access: with it, anyone on the internet can open a connection to "
                "the brokers, and only client authentication and ACLs stand between them and the topics.",
    severity=Severity.HIGH,
    anchors=("Security Hub MSK.4", "Config msk-cluster-public-access-disabled"),
)
def not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`brokerNodeGroupInfo.connectivityInfo.publicAccess.type` is DISABLED or left out (MSK's default, DISABLED);
    SERVICE_PROVIDED_EIPS fails; an unknown value is not judged"""
    kind = peek(args.props, "brokerNodeGroupInfo", "connectivityInfo", "publicAccess", "type")
    if kind is UNKNOWN or not has_text(kind) or kind == "DISABLED":
        return
    yield (f"brokerNodeGroupInfo.connectivityInfo.publicAccess.type is {kind}: the brokers have public addresses, "
           "reachable from the internet wherever their security groups allow; set DISABLED and reach the cluster "
           "from the VPC (or through VPC connectivity)")


def _mechanisms(auth) -> tuple[bool, bool]:
    """Whether a known SASL (IAM, SCRAM) or TLS client authentication is on, and whether one might be (unknown)."""
    iam, scram = peek(auth, "sasl", "iam"), peek(auth, "sasl", "scram")
    authorities = peek_items(auth, "tls", "certificateAuthorityArns")
    on = is_true(iam) or is_true(scram) or any(has_text(ca) for ca in authorities)
    maybe = UNKNOWN in (iam, scram, peek(auth, "sasl"), peek(auth, "tls")) or UNKNOWN in authorities
    return on, maybe


@resource_policy(
    "msk-cluster-authenticated-clients", CLUSTER,
    description="MSK clusters must authenticate every client (IAM, SASL/SCRAM or mutual TLS) and turn unauthenticated "
                "access off: otherwise any client that reaches the brokers reads, writes and deletes topics without "
                "credentials.",
    severity=Severity.HIGH,
    anchors=("Security Hub MSK.6", "Config msk-unrestricted-access-check"),
)
def authenticated_clients(args: ResourceValidationArgs) -> Iterator[str]:
    """`clientAuthentication.unauthenticated` is not true, and `clientAuthentication` turns on `sasl.iam`,
    `sasl.scram` or `tls` with `certificateAuthorityArns` (left out, the cluster has no client authentication and
    takes clients without credentials); unknown values are not judged"""
    auth = peek(args.props, "clientAuthentication")
    if auth is UNKNOWN:
        return
    unauthenticated = peek(auth, "unauthenticated")
    if is_true(unauthenticated):
        yield ("clientAuthentication.unauthenticated is true: any client that reaches the brokers reads and writes "
               "topics without credentials, whatever else is on; set it false")
        return
    on, maybe = _mechanisms(auth)
    if on or maybe or unauthenticated is UNKNOWN:
        return
    state = "left out" if auth is None else "set without sasl.iam, sasl.scram or tls certificate authorities"
    yield (f"clientAuthentication is {state}: the cluster has no client authentication, so any client that reaches "
           "the brokers reads and writes topics without credentials; turn on sasl.iam (or sasl.scram, or tls with "
           "certificateAuthorityArns)")


@resource_policy(
    "msk-cluster-broker-logging", CLUSTER,
    description="MSK clusters must deliver their broker logs to CloudWatch Logs, S3 or Firehose, the record of the "
                "brokers' errors and of their clients' connections.",
    severity=Severity.MEDIUM,
    anchors=("cdk-nag MSK6",),
    anchor_note="Security Hub MSK.5 asks the same of MSK Connect connectors, not of clusters",
)
def broker_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`loggingInfo.brokerLogs` turns on one of `cloudwatchLogs`, `firehose` or `s3` (`enabled` true; left out, MSK
    delivers no broker log); an unknown destination is not judged"""
    state = undelivered_logs(args.props, "loggingInfo", "brokerLogs")
    if state:
        yield (f"loggingInfo.brokerLogs is {state}: nothing records the brokers' errors or their clients' "
               "connections; enable cloudwatchLogs (with a logGroup), firehose or s3")


# What a cluster policy may let other accounts do (MSK's "Permissions for multi-VPC private connectivity"): connect
# VPCs of their own to the cluster (kafka:CreateVpcConnection, with GetBootstrapBrokers and DescribeClusterV2 beside
# it), and use its brokers under IAM access control (kafka-cluster actions: connect, read and write topics, ...).
_POLICY_USES = (("connect VPCs of their own to the cluster", "kafka:CreateVpcConnection"),
                ("connect to its brokers as IAM clients", "kafka-cluster:Connect"))


@stack_policy(
    "msk-cluster-policy-not-public", (CLUSTER, CLUSTER_POLICY),
    description="No MSK cluster policy may let every AWS account in: with multi-VPC private connectivity on, any "
                "account could connect a VPC of its own to the cluster and, under IAM access control, use its topics.",
    severity=Severity.HIGH,
    anchor_note="MSK's multi-VPC private connectivity guide: the cluster policy names the client accounts",
)
def cluster_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a cluster's policy (a ClusterPolicy naming it by `clusterArn`; or a ClusterPolicy for a
    cluster outside the stack, or a serverless one) has Principal `*` (or `{"AWS": "*"}`) or a NotPrincipal unless
    its condition names the callers by fixed values of `aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    `aws:SourceAccount`, ... or limits them to addresses (as for SQS and SNS); unknown documents or conditions are not
    judged"""
    for owner, statement in public_resource_policies(args.resources, (CLUSTER,), CLUSTER_POLICY, "clusterArn", ("arn",),
                                                   "MSK cluster", regional=True):
        uses = statement.granted(_POLICY_USES, "use the cluster")
        yield public_grant(statement, uses, accounts_that("connect")), owner.urn
