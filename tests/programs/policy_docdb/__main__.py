"""Raw Amazon DocumentDB clusters: an encrypted one, and ones unencrypted (left out: the provider sends none and the
API's default is off; said outright); a snapshot's restore, which takes the snapshot's encryption, and one whose
setting another resource gives, known only after the update; clusters without deletion protection (left out: the
provider sends false; said outright); clusters that keep fewer than 7 days of backups (left out: 1 day; 3 days);
clusters that write no audit log to CloudWatch Logs: without the audit export (left out, profiler only), or exporting
it from a parameter group that writes none (the engine's default group, left out or named; a group of the stack's
without audit_logs, or with none); clusters that take connections without TLS 1.2 (their group's tls disabled, enabled
or left out; the engine's default group) and ones that take TLS 1.3 only."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("docdb-clients", description="Clients of the clusters", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)


def parameter_group(name, **parameters):
    return aws.docdb.ClusterParameterGroup(name, name=name, family="docdb5.0", tags=TAGS, parameters=[
        {"name": key, "value": value} for key, value in parameters.items()])


# A group that writes every audit event and takes TLS 1.2 or later only.
AUDITED = parameter_group("audited-params", audit_logs="all", tls="tls1.2+")
# Settings that pass every policy but the one a cluster gets wrong.
GOOD = dict(storage_encrypted=True, deletion_protection=True, backup_retention_period=14,
            enabled_cloudwatch_logs_exports=["audit", "profiler"], db_cluster_parameter_group_name=AUDITED.name,
            manage_master_user_password=True, tags=TAGS)


def cluster(name, **settings):
    return aws.docdb.Cluster(name, cluster_identifier=name, engine="docdb", engine_version="5.0.0",
                             master_username="app", vpc_security_group_ids=[GROUP.id], **{**GOOD, **settings})


cluster("orders-docdb")
cluster("bare-docdb", storage_encrypted=None)
cluster("plain-docdb", storage_encrypted=False)
# A snapshot's restore takes the snapshot's encryption (RestoreDBClusterFromSnapshot takes no StorageEncrypted).
cluster("restored-docdb", storage_encrypted=None, snapshot_identifier="orders-docdb-final")
# Known only once the security group exists (true then): unknown in a first preview, which does not judge it.
cluster("later-docdb", storage_encrypted=GROUP.id.apply(lambda _: True))

cluster("unprotected-docdb", deletion_protection=None)
cluster("deletable-docdb", deletion_protection=False)
cluster("later-protected-docdb", deletion_protection=GROUP.id.apply(lambda _: True))

cluster("short-backups-docdb", backup_retention_period=None)
cluster("three-day-docdb", backup_retention_period=3)
cluster("later-backups-docdb", backup_retention_period=GROUP.id.apply(lambda _: 7))

cluster("unaudited-docdb", enabled_cloudwatch_logs_exports=None)
cluster("profiler-only-docdb", enabled_cloudwatch_logs_exports=["profiler"])
# The engine's default group keeps audit_logs none, and cannot be changed.
cluster("default-group-docdb", db_cluster_parameter_group_name=None)
cluster("named-default-docdb", db_cluster_parameter_group_name="default.docdb5.0")
cluster("no-audit-param-docdb", db_cluster_parameter_group_name=parameter_group("tls-only-params", tls="tls1.2+").name)
cluster("audit-none-docdb",
        db_cluster_parameter_group_name=parameter_group("audit-none-params", audit_logs="none", tls="tls1.2+").name)
# DDL events only (the legacy `enabled` means the same); a group made elsewhere is not judged.
cluster("ddl-audit-docdb",
        db_cluster_parameter_group_name=parameter_group("ddl-audit-params", audit_logs="ddl", tls="tls1.2+").name)
cluster("shared-group-docdb", db_cluster_parameter_group_name="shared-docdb-params")
cluster("later-audit-docdb", enabled_cloudwatch_logs_exports=GROUP.id.apply(lambda _: ["audit"]))

cluster("plaintext-docdb",
        db_cluster_parameter_group_name=parameter_group("plaintext-params", audit_logs="all", tls="disabled").name)
cluster("legacy-tls-docdb",
        db_cluster_parameter_group_name=parameter_group("legacy-tls-params", audit_logs="all", tls="enabled").name)
cluster("default-tls-docdb",
        db_cluster_parameter_group_name=parameter_group("audit-only-params", audit_logs="all").name)
cluster("tls13-docdb",
        db_cluster_parameter_group_name=parameter_group("tls13-params", audit_logs="all", tls="tls1.3+").name)
