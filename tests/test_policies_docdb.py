"""Amazon DocumentDB guardrails against tests/programs/policy_docdb (raw clusters)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings,
                                        policies_found, program_fixtures)

PROGRAM = "policy_docdb"
CLUSTER = "aws:docdb/cluster:Cluster"
PARAMETER_GROUP = "aws:docdb/clusterParameterGroup:ClusterParameterGroup"
M, A = "mandatory", "advisory"
ENCRYPTED, PROTECTED = "docdb-cluster-storage-encrypted", "docdb-cluster-deletion-protection"
BACKUPS, AUDIT = "docdb-cluster-backup-retention", "docdb-cluster-audit-logs"
TLS = "docdb-cluster-tls-enforced"
NO_AUDIT = "the DocumentDB cluster exports audit but its cluster parameter group {} sets {}: it writes no audit log"

FAILING = [
    # Left out, the provider sends none, and the API creates the cluster unencrypted.
    Finding(ENCRYPTED, "bare-docdb", M, "storageEncrypted is unset (false): the DocumentDB cluster's storage, indexes, "
                                        "logs, backups and snapshots are unencrypted"),
    Finding(ENCRYPTED, "plain-docdb", M, "storageEncrypted is false: the DocumentDB cluster's storage, indexes, logs, "
                                         "backups and snapshots are unencrypted, and encrypting them later means a new "
                                         "cluster restored from a snapshot; set storageEncrypted true, with a customer "
                                         "managed key in kmsKeyId if the account must control it"),
    # Left out, the provider sends false.
    Finding(PROTECTED, "unprotected-docdb", A, "deletionProtection is unset (false): a destroy, or a change that "
                                               "replaces the DocumentDB cluster"),
    Finding(PROTECTED, "deletable-docdb", A, "deletionProtection is false: a destroy, or a change that replaces the "
                                             "DocumentDB cluster (a new identifier, engine, port or encryption "
                                             "setting), deletes it with its data; set deletionProtection true"),
    # Left out, the provider sends 1 (CreateDBCluster's default too).
    Finding(BACKUPS, "short-backups-docdb", M, "backupRetentionPeriod is left out: DocumentDB keeps 1 day, fewer than "
                                               "the 7 days of automated backups a DocumentDB cluster must keep"),
    Finding(BACKUPS, "three-day-docdb", M, "backupRetentionPeriod is 3 days, fewer than the 7 days of automated "
                                           "backups a DocumentDB cluster must keep to be restored to a point before a "
                                           "bad write; set backupRetentionPeriod to 7 or more (at most 35)"),
    # Left out, the provider sends none and DocumentDB exports nothing.
    Finding(AUDIT, "unaudited-docdb", A, "enabledCloudwatchLogsExports is left out: the DocumentDB cluster sends no "
                                         "audit log to CloudWatch Logs, so no record shows its sign-ins, user and role "
                                         "changes or dropped collections; export audit, and set the audit_logs "
                                         "parameter of the cluster's own cluster parameter group (ddl, or all)"),
    Finding(AUDIT, "profiler-only-docdb", A, "enabledCloudwatchLogsExports leaves out audit: the DocumentDB cluster"),
    # Exported, but the parameter group writes nothing to export.
    Finding(AUDIT, "default-group-docdb", A, "the DocumentDB cluster exports audit but takes its engine's default "
                                             "cluster parameter group, whose audit_logs is none and cannot be changed: "
                                             "it writes no audit log; give it a cluster parameter group of its own "
                                             "with audit_logs ddl, or all"),
    Finding(AUDIT, "named-default-docdb", A, "the DocumentDB cluster exports audit but takes its engine's default"),
    Finding(AUDIT, "no-audit-param-docdb", A, NO_AUDIT.format("tls-only-params", "no audit_logs (none by default)")),
    Finding(AUDIT, "audit-none-docdb", A, NO_AUDIT.format("audit-none-params", "audit_logs none") +
            "; set audit_logs ddl, or all"),
    # The engine's default group keeps tls enabled: TLS 1.0 and 1.1 too.
    Finding(TLS, "default-group-docdb", M, "the DocumentDB cluster takes its engine's default cluster parameter group, "
                                           "whose tls is enabled and cannot be changed: it still accepts TLS 1.0 and "
                                           "1.1, which Security Hub DocumentDB.6 fails; give it a cluster parameter "
                                           "group of its own with tls tls1.2+ (or tls1.3+, or fips-140-3 where "
                                           "DocumentDB offers it)"),
    Finding(TLS, "named-default-docdb", M, "the DocumentDB cluster takes its engine's default cluster parameter group"),
    Finding(TLS, "plaintext-docdb", M, "the DocumentDB cluster's parameter group plaintext-params sets tls disabled: "
                                       "the cluster accepts no TLS connection, so every client's password and data "
                                       "cross the network in plain text; set tls tls1.2+"),
    Finding(TLS, "legacy-tls-docdb", M, "the DocumentDB cluster's parameter group legacy-tls-params sets tls enabled: "
                                        "the cluster still accepts TLS 1.0 and 1.1"),
    Finding(TLS, "default-tls-docdb", M, "the DocumentDB cluster's parameter group audit-only-params sets no tls, so "
                                         "it keeps the default, enabled: the cluster still accepts TLS 1.0 and 1.1"),
]
# Encrypted; a snapshot's restore (the snapshot's encryption); known only after the update.
PASSING = [(ENCRYPTED, "orders-docdb"), (ENCRYPTED, "restored-docdb"), (ENCRYPTED, "later-docdb"),
           (PROTECTED, "orders-docdb"), (PROTECTED, "later-protected-docdb"),
           # 14 days; 7, known only after the update.
           (BACKUPS, "orders-docdb"), (BACKUPS, "later-backups-docdb"),
           # Exported, from a group that writes every event, or DDL events; from a group made elsewhere; known only
           # after the update.
           (AUDIT, "orders-docdb"), (AUDIT, "ddl-audit-docdb"), (AUDIT, "shared-group-docdb"),
           (AUDIT, "later-audit-docdb"),
           # TLS 1.2 or 1.3 on; a group made elsewhere.
           (TLS, "orders-docdb"), (TLS, "tls13-docdb"), (TLS, "shared-group-docdb")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def cluster(refs=None, **props):
    """A cluster that passes every policy but what `props` change; a prop given as None is left out."""
    good = {"clusterIdentifier": "cluster", "engine": "docdb", "storageEncrypted": True, "deletionProtection": True,
            "backupRetentionPeriod": 14, "enabledCloudwatchLogsExports": ["audit"],
            "dbClusterParameterGroupName": "params", "tags": DEFAULT_TAGS}
    return Res(CLUSTER, "cluster", {key: value for key, value in {**good, **props}.items() if value is not None},
               refs or {})


def parameter_group(*parameters, name="params"):
    """The stack's cluster parameter group `params`, with (name, value) parameters."""
    return Res(PARAMETER_GROUP, name, {"name": name, "family": "docdb5.0", "tags": DEFAULT_TAGS,
                                       "parameters": [{"name": key, "value": value} for key, value in parameters]})


@pytest.mark.parametrize("props, reported", [
    ({}, False), ({"storageEncrypted": "true"}, False), ({"storageEncrypted": False}, True),
    ({"storageEncrypted": "false"}, True), ({"storageEncrypted": None}, True), ({"storageEncrypted": UNKNOWN}, False),
    # A restore takes its source's encryption, whether the snapshot is named or known only after the update.
    ({"storageEncrypted": None, "snapshotIdentifier": "final"}, False),
    ({"storageEncrypted": None, "snapshotIdentifier": UNKNOWN}, False),
    ({"storageEncrypted": None, "restoreToPointInTime": {"sourceClusterIdentifier": "orders"}}, False),
    ({"storageEncrypted": None, "snapshotIdentifier": ""}, True)])
def test_a_cluster_encrypts_its_storage(props, reported):
    assert (ENCRYPTED in policies_found([cluster(**props)])) == reported


@pytest.mark.parametrize("protection, reported", [
    (True, False), ("true", False), (False, True), ("false", True), (None, True), (UNKNOWN, False)])
def test_a_cluster_is_protected_from_deletion(protection, reported):
    """terraform-provider-aws sends DeletionProtection in every CreateDBCluster, false when left out."""
    assert (PROTECTED in policies_found([cluster(deletionProtection=protection)])) == reported


@pytest.mark.parametrize("days, config, reported", [
    (7, None, False), (35, None, False), ("14", None, False), (6, None, True), (1, None, True), (None, None, True),
    (0, None, True), ("3", None, True), (UNKNOWN, None, False), ("a week", None, False),
    # The knob sets the floor.
    (14, {"minimumDays": 21}, True), (3, {"minimumDays": 1}, False), (None, {"minimumDays": 1}, False)])
def test_a_cluster_keeps_its_backups_long_enough(days, config, reported):
    found = policies_found([cluster(backupRetentionPeriod=days)], config and {BACKUPS: config})
    assert (BACKUPS in found) == reported


@pytest.mark.parametrize("exports, reported", [
    (["audit"], False), (["profiler", "audit"], False), (None, True), ([], True), (["profiler"], True),
    # The provider takes the log types in lower case only.
    (["Audit"], True), (UNKNOWN, False), (["profiler", UNKNOWN], False), ({"audit": True}, True)])
def test_a_cluster_exports_its_audit_log(exports, reported):
    resources = [cluster(enabledCloudwatchLogsExports=exports), parameter_group(("audit_logs", "all"))]
    assert (AUDIT in policies_found(resources)) == reported


@pytest.mark.parametrize("group, parameters, reported", [
    ("params", [("audit_logs", "all")], False), ("params", [("audit_logs", "ddl,dml_write")], False),
    ("params", [("audit_logs", "enabled")], False), ("params", [("AUDIT_LOGS", "ALL")], False),
    ("params", [("audit_logs", "none")], True), ("params", [("audit_logs", "disabled")], True),
    ("params", [("tls", "tls1.2+")], True), ("params", [], True),
    # The engine's default group keeps audit_logs none.
    (None, [], True), ("", [], True), ("default.docdb5.0", [], True), ("DEFAULT.DOCDB4.0", [], True),
    # Unknown until the update, or a group made elsewhere: not judged.
    ("params", [("audit_logs", UNKNOWN)], False), ("params", [(UNKNOWN, "none")], False),
    ("params", UNKNOWN, False), ("elsewhere", [], False), (UNKNOWN, [], False), ({"name": "params"}, [], False)])
def test_an_exported_audit_log_is_written_by_the_parameter_group(group, parameters, reported):
    params = parameter_group(*([] if parameters is UNKNOWN else parameters))
    if parameters is UNKNOWN:
        params.props["parameters"] = UNKNOWN
    assert (AUDIT in policies_found([cluster(dbClusterParameterGroupName=group), params])) == reported


def test_a_group_the_cluster_is_made_from_is_its_group_whatever_its_name():
    params = parameter_group(("audit_logs", "none"), name="audit-params")
    params.props["name"] = UNKNOWN
    made = cluster(refs={"dbClusterParameterGroupName": ["audit-params"]}, dbClusterParameterGroupName=UNKNOWN)
    assert AUDIT in policies_found([made, params])


@pytest.mark.parametrize("group, parameters, reported", [
    ("params", [("tls", "tls1.2+")], False), ("params", [("tls", "tls1.3+")], False),
    ("params", [("tls", "fips-140-3")], False), ("params", [("TLS", "TLS1.2+")], False),
    ("params", [("tls", "disabled")], True), ("params", [("tls", "enabled")], True),
    ("params", [("tls", "Disabled")], True),
    ("params", [("audit_logs", "all")], True), ("params", [], True),
    # The engine's default group keeps tls enabled.
    (None, [], True), ("", [], True), ("default.docdb5.0", [], True),
    # Unknown until the update, or a group made elsewhere: not judged.
    ("params", [("tls", UNKNOWN)], False), ("params", [(UNKNOWN, "disabled")], False), ("params", UNKNOWN, False),
    ("elsewhere", [], False), (UNKNOWN, [], False), (["params"], [], False), ("params", [("tls", ["tls1.2+"])], False)])
def test_a_cluster_takes_tls_1_2_or_later_only(group, parameters, reported):
    params = parameter_group(*([] if parameters is UNKNOWN else parameters))
    if parameters is UNKNOWN:
        params.props["parameters"] = UNKNOWN
    assert (TLS in policies_found([cluster(dbClusterParameterGroupName=group), params])) == reported


def _messages(policy: str, *parameters: tuple) -> set[str]:
    return {m for p, _, m in findings(analyze([cluster(), parameter_group(*parameters)])) if p == policy}


# As Redshift's require_ssl finding (`parameter_said`): the value as the group writes it, then how it reads.
@pytest.mark.parametrize("value, said", [("disabled", "disabled"), ("Disabled", '"Disabled" (disabled)')])
def test_a_tls_finding_quotes_the_value_as_written(value, said):
    assert _messages(TLS, ("tls", value)) == {
        f"the DocumentDB cluster's parameter group params sets tls {said}: the cluster accepts no TLS connection, so "
        "every client's password and data cross the network in plain text; set tls tls1.2+ (or tls1.3+, or "
        "fips-140-3 where DocumentDB offers it)"}


@pytest.mark.parametrize("name, value, said", [("audit_logs", "none", "none"), ("audit_logs", "NONE", '"NONE" (none)'),
                                               ("AUDIT_LOGS", "Disabled", '"Disabled" (disabled)')])
def test_an_audit_finding_quotes_the_value_as_written(name, value, said):
    assert _messages(AUDIT, (name, value)) == {
        f"the DocumentDB cluster exports audit but its cluster parameter group params sets audit_logs {said}: it "
        "writes no audit log; set audit_logs ddl, or all"}


@pytest.mark.parametrize("refs", [None, {"dbClusterParameterGroupName": ["params"]}])
def test_a_group_is_matched_by_its_name_while_ids_are_unknown(refs):
    """A first preview knows no group's id, but a group's id is its name: the name the cluster gives (written, or
    read from the group) is that group's, not possibly another's."""
    groups = [parameter_group(("audit_logs", "none"), ("tls", "enabled")),
              parameter_group(("audit_logs", "all"), ("tls", "tls1.2+"), name="other-params")]
    for group in groups:
        group.props["id"] = UNKNOWN
    found = policies_found([cluster(refs, dbClusterParameterGroupName="params"), *groups])
    assert {AUDIT, TLS} <= found
