"""Raw Amazon Neptune DB clusters: a compliant one, and ones that turn off or leave out what the family asks (said
outright, or left to the provider's default). A read replica and a snapshot's restore take their source's encryption
and are not judged for it."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}


def parameter_group(name, **parameters):
    return aws.neptune.ClusterParameterGroup(name, name=name, family="neptune1.4", tags=TAGS, parameters=[
        {"name": key, "value": value} for key, value in parameters.items()])


# Neptune writes an audit log only where the cluster's parameter group turns it on (its default is 0).
AUDITED = parameter_group("audited", neptune_enable_audit_log="1")
GOOD = dict(storage_encrypted=True, deletion_protection=True, backup_retention_period=14,
            iam_database_authentication_enabled=True, copy_tags_to_snapshot=True,
            enable_cloudwatch_logs_exports=["audit"], neptune_cluster_parameter_group_name=AUDITED.name, tags=TAGS)


def cluster(name, zones=(None, None), **settings):
    """A cluster with an instance in each of `zones` (None: Neptune picks one)."""
    made = aws.neptune.Cluster(name, cluster_identifier=name, engine="neptune", engine_version="1.4.5.1",
                               skip_final_snapshot=True, **{**GOOD, **settings})
    for n, zone in enumerate(zones, 1):
        instance(f"{name}-{n}", made.id, availability_zone=zone)
    return made


def instance(name, cluster_identifier, **settings):
    return aws.neptune.ClusterInstance(name, identifier=name, cluster_identifier=cluster_identifier,
                                       instance_class="db.r6g.large", engine="neptune", tags=TAGS, **settings)


graph = cluster("graph")
cluster("plain-graph", storage_encrypted=False)
cluster("bare-graph", storage_encrypted=None, deletion_protection=None, backup_retention_period=None,
        iam_database_authentication_enabled=None, copy_tags_to_snapshot=None, enable_cloudwatch_logs_exports=None,
        neptune_cluster_parameter_group_name=None)
cluster("unprotected-graph", deletion_protection=False)
cluster("short-memory-graph", backup_retention_period=3)
cluster("open-graph", iam_database_authentication_enabled=False)
cluster("untagged-snapshots-graph", copy_tags_to_snapshot=False)
# The audit log: not exported (only the slow-query log), or exported but never written: the parameter at 0, left out
# of the cluster's group, or a default group's. A group made outside the stack is not judged.
cluster("slow-only-graph", enable_cloudwatch_logs_exports=["slowquery"])
cluster("unaudited-graph", neptune_cluster_parameter_group_name=parameter_group("unaudited",
                                                                                neptune_enable_audit_log="0").name)
cluster("no-audit-parameter-graph",
        neptune_cluster_parameter_group_name=parameter_group("lab-mode", neptune_lab_mode="Streams=enabled").name)
cluster("default-group-graph", neptune_cluster_parameter_group_name="default.neptune1.4")
cluster("shared-group-graph", neptune_cluster_parameter_group_name="shared-graph-parameters")
# One Availability Zone: no instance, one (the primary alone), or two pinned to one zone. Two in two zones pass.
cluster("headless-graph", zones=())
cluster("lonely-graph", zones=(None,))
cluster("pinned-graph", zones=("us-east-1a", "us-east-1a"))
cluster("spread-graph", zones=("us-east-1a", "us-east-1b"))
# A replica and a restore: their source's encryption.
cluster("graph-replica", storage_encrypted=None, replication_source_identifier=graph.arn)
cluster("restored-graph", storage_encrypted=None, snapshot_identifier="graph-final")
# Known only once the security group exists (true then): unknown in a first preview, which does not judge it.
GROUP = aws.ec2.SecurityGroup("graph-clients", description="Clients of the graphs", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)
KNOWN_LATER = GROUP.id.apply(lambda _: True)
cluster("later-graph", storage_encrypted=KNOWN_LATER, deletion_protection=KNOWN_LATER,
        backup_retention_period=GROUP.id.apply(lambda _: 7), iam_database_authentication_enabled=KNOWN_LATER,
        copy_tags_to_snapshot=KNOWN_LATER, vpc_security_group_ids=[GROUP.id])
