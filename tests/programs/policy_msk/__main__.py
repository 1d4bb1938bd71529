"""Raw MSK clusters: TLS between brokers and from clients, private, IAM-authenticated clients only, broker logs in
CloudWatch Logs; and ones that turn each off, open the brokers to the internet or to clients without credentials,
or deliver no broker log, or let every account in by a cluster policy; connectors and replicators that deliver their
logs and ones that do not. Left out, MSK encrypts both ways and keeps the
brokers private, but authenticates no client and logs nothing. Values another resource gives, known only after the
update, are not judged."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SUBNETS = ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]
BROKER_LOGS = aws.cloudwatch.LogGroup("kafka-broker-logs", name="/shop/kafka/brokers", retention_in_days=365,
                                      kms_key_id="arn:aws:kms:us-east-1:123456789012:alias/logs", tags=TAGS)
NODES = {"instance_type": "kafka.m7g.large", "client_subnets": SUBNETS, "security_groups": ["sg-0kafka"]}
TLS = {"encryption_in_transit": {"client_broker": "TLS", "in_cluster": True}}
IAM = {"sasl": {"iam": True}, "unauthenticated": False}
LOGS = {"broker_logs": {"cloudwatch_logs": {"enabled": True, "log_group": BROKER_LOGS.name}}}


def cluster(name, *, nodes=NODES, encryption=TLS, auth=IAM, logs=LOGS):
    return aws.msk.Cluster(name, cluster_name=name, kafka_version="3.8.x", number_of_broker_nodes=3,
                           broker_node_group_info=nodes, encryption_info=encryption, client_authentication=auth,
                           logging_info=logs, tags=TAGS)


telemetry = cluster("telemetry-kafka")
# Left to MSK: TLS from clients and between brokers, and private; but no client authentication, no broker log.
cluster("default-kafka", encryption=None, auth=None, logs=None)
# Plain text between brokers, and from clients.
cluster("plaintext-kafka", encryption={"encryption_in_transit": {"client_broker": "PLAINTEXT", "in_cluster": False}})
# TLS and plain text from clients, alongside SCRAM with unauthenticated access on.
cluster("mixed-kafka", encryption={"encryption_in_transit": {"client_broker": "TLS_PLAINTEXT"}},
        auth={"sasl": {"scram": True}, "unauthenticated": True})
# Brokers with public addresses.
public = cluster("public-kafka",
                 nodes={**NODES, "connectivity_info": {"public_access": {"type": "SERVICE_PROVIDED_EIPS"}}})
# Public access turned off explicitly, mutual TLS, broker logs to S3 only.
cluster("private-kafka", nodes={**NODES, "connectivity_info": {"public_access": {"type": "DISABLED"}}},
        auth={"tls": {"certificate_authority_arns": [
            "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012"]}},
        logs={"broker_logs": {"s3": {"enabled": True, "bucket": "shop-kafka-logs"}}})
# A log destination switched off.
cluster("quiet-kafka", logs={"broker_logs": {"cloudwatch_logs": {"enabled": False}}})
# A certificate authority and a log switch another resource gives, known only after the update: not judged.
authority = aws.acmpca.CertificateAuthority(
    "kafka-clients-ca", type="ROOT", usage_mode="GENERAL_PURPOSE", tags=TAGS,
    certificate_authority_configuration={"key_algorithm": "EC_prime256v1", "signing_algorithm": "SHA256WITHECDSA",
                                         "subject": {"common_name": "kafka-clients"}})
cluster("later-kafka", auth={"tls": {"certificate_authority_arns": [authority.arn]}},
        logs={"broker_logs": {"cloudwatch_logs": {"enabled": authority.arn.apply(lambda _: True),
                                                  "log_group": BROKER_LOGS.name}}})

# Cluster policies for multi-VPC private connectivity: every account of one organization; every account; every account
# on another stack's cluster.
MULTI_VPC = ["kafka:CreateVpcConnection", "kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2", "kafka-cluster:*"]


def cluster_policy(name, cluster_arn, statement):
    return aws.msk.ClusterPolicy(name, cluster_arn=cluster_arn, policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": MULTI_VPC, "Resource": "*",
                                                 **statement}]}))


cluster_policy("telemetry-kafka-policy", telemetry.arn, {
    "Sid": "Organization", "Principal": {"AWS": "*"},
    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})
cluster_policy("public-kafka-policy", public.arn, {"Sid": "Everyone", "Principal": {"AWS": "*"}})
cluster_policy("imported-kafka-policy", "arn:aws:kafka:us-east-1:123456789012:cluster/shared/"
               "12345678-1234-1234-1234-123456789012-1", {"Sid": "Everyone", "Principal": "*"})

# MSK Connect connectors: one over TLS delivering its workers' logs, one left to the provider's defaults (the required
# kafkaClusterEncryptionInTransit without encryptionType: PLAINTEXT; no log), one in plain text with its log switched
# off.
CONNECT_ROLE = "arn:aws:iam::123456789012:role/kafka-connect"
PLUGIN = "arn:aws:kafkaconnect:us-east-1:123456789012:custom-plugin/s3-sink/12345678-1234-1234-1234-123456789012-1"
WORKER_LOGS = {"worker_log_delivery": {"cloudwatch_logs": {"enabled": True, "log_group": BROKER_LOGS.name}}}


def connector(name, *, encryption="TLS", logs=WORKER_LOGS):
    return aws.mskconnect.Connector(
        name, name=name, kafkaconnect_version="3.7.x", service_execution_role_arn=CONNECT_ROLE, tags=TAGS,
        capacity={"provisioned_capacity": {"mcu_count": 1, "worker_count": 1}},
        connector_configuration={"connector.class": "io.confluent.connect.s3.S3SinkConnector", "topics": "telemetry"},
        kafka_cluster={"apache_kafka_cluster": {"bootstrap_servers": "b-1.telemetry.kafka.us-east-1.amazonaws.com:9098",
                                                "vpc": {"security_groups": ["sg-0connect"], "subnets": SUBNETS}}},
        kafka_cluster_client_authentication={"authentication_type": "IAM"},
        kafka_cluster_encryption_in_transit={} if encryption is None else {"encryption_type": encryption},
        plugins=[{"custom_plugin": {"arn": PLUGIN, "revision": 1}}], log_delivery=logs)


connector("telemetry-sink")
connector("default-sink", encryption=None, logs=None)
connector("quiet-sink", encryption="PLAINTEXT", logs={"worker_log_delivery": {"s3": {"enabled": False}}})
connector("later-sink", logs={"worker_log_delivery": {"firehose": {"enabled": authority.arn.apply(lambda _: True)}}})

# MSK Replicators from the telemetry cluster to another: one delivering its logs, one delivering none (MSK's default),
# one with its only destination switched off, one whose switch another resource gives (not judged).
REPLICATOR_ROLE = "arn:aws:iam::123456789012:role/kafka-replicator"
BACKUP_KAFKA = "arn:aws:kafka:us-west-2:123456789012:cluster/backup/12345678-1234-1234-1234-123456789012-2"


def replicator(name, *, logs):
    return aws.msk.Replicator(
        name, replicator_name=name, service_execution_role_arn=REPLICATOR_ROLE, tags=TAGS, log_delivery=logs,
        kafka_clusters=[{"amazon_msk_cluster": {"msk_cluster_arn": telemetry.arn},
                         "vpc_config": {"subnet_ids": SUBNETS, "security_groups_ids": ["sg-0replicator"]}},
                        {"amazon_msk_cluster": {"msk_cluster_arn": BACKUP_KAFKA},
                         "vpc_config": {"subnet_ids": ["subnet-0b0b0b0b"], "security_groups_ids": ["sg-0backup"]}}],
        replication_info_list={"source_kafka_cluster_arn": telemetry.arn, "target_kafka_cluster_arn": BACKUP_KAFKA,
                               "target_compression_type": "NONE",
                               "topic_replications": [{"topics_to_replicates": [".*"]}],
                               "consumer_group_replications": [{"consumer_groups_to_replicates": [".*"]}]})


replicator("telemetry-replicator",
           logs={"replicator_log_delivery": {"cloudwatch_logs": {"enabled": True, "log_group": BROKER_LOGS.name}}})
replicator("default-replicator", logs=None)
replicator("quiet-replicator", logs={"replicator_log_delivery": {"s3": {"enabled": False}}})
replicator("later-replicator",
           logs={"replicator_log_delivery": {"firehose": {"enabled": authority.arn.apply(lambda _: True)}}})
