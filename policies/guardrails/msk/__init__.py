"""MSK guardrails: a provisioned Kafka cluster encrypts what its brokers send each other and its clients, stays off the
internet, asks every client who it is, delivers its broker logs, and lets no account in by a cluster policy open to
every one; an MSK Connect connector reaches its cluster over TLS and delivers its workers' logs; a replicator delivers
its logs. MSK Serverless clusters are not judged (but for a cluster policy naming one): they always take TLS and IAM
authentication only, and have no public access or broker logs to set. Nor are multi-VPC connections, or a replicator's
transport: MSK takes no unauthenticated client over a VPC connection, and a replicator reaches its clusters over TLS,
MSK's under IAM and others' under SASL/SCRAM, mutual TLS or SASL/OAUTHBEARER (botocore's kafka model,
KafkaClusterClientAuthentication), from interfaces with private addresses only (their security groups are judged with
the EC2 ones)."""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import UNKNOWN, is_true, peek


CLUSTER = "aws:msk/cluster:Cluster"
CLUSTER_POLICY = "aws:msk/clusterPolicy:ClusterPolicy"
CONNECTOR = "aws:mskconnect/connector:Connector"
REPLICATOR = "aws:msk/replicator:Replicator"
# Not judged here, but their security groups are with the EC2 ones.
SERVERLESS_CLUSTER = "aws:msk/serverlessCluster:ServerlessCluster"
VPC_CONNECTION = "aws:msk/vpcConnection:VpcConnection"


# Where a cluster's broker logs, a connector's worker logs and a replicator's logs may go, each block with its own
# `enabled` switch.
LOG_DESTINATIONS = ("cloudwatchLogs", "firehose", "s3")


def undelivered_logs(props: Any, *path: str) -> Optional[str]:
    """How the log delivery block at `path` reads when it turns no destination on ("left out", or "set with no
    destination enabled"); None when one is on, or when the block or a switch is unknown until the update."""
    block = peek(props, *path)
    if block is UNKNOWN:
        return None
    switches = [peek(block, destination, "enabled") for destination in LOG_DESTINATIONS]
    if UNKNOWN in switches or any(is_true(switch) for switch in switches):
        return None
    return "left out" if block is None else "set with no destination enabled"
