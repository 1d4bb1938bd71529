"""AWS Batch guardrails against tests/programs/policy_batch (raw pulumi_aws resources)."""
from __future__ import annotations

import json

from tests.test_policies_support import (
    CLEAN_VALUES,
    SECRET_VALUES,
    UNKNOWN,
    Finding,
    InsecureProgramSuite,
    Res,
    analyze,
    findings,
    messages,
    not_run,
    pairs,
    program_fixtures,
)

PROGRAM = "policy_batch"
M = "mandatory"
SECRETS = "batch-job-definition-no-secret-env"
ECS_FIX = "as a plain environment variable; inject it from `secrets` (valueFrom)"
PARAMETER_FIX = ("keep secrets out of parameter defaults: inject it from `secrets` (valueFrom), or on EKS mount it "
                 "from a Kubernetes secret")

FAILING = [
    Finding(SECRETS, "container-job", M, f"containerProperties passes DB_PASSWORD {ECS_FIX}"),
    Finding(SECRETS, "container-job", M, f"containerProperties passes AWS_SECRET_ACCESS_KEY {ECS_FIX}"),
    Finding(SECRETS, "ecs-job", M, f"ecsProperties container 'main' passes API_TOKEN {ECS_FIX}"),
    Finding(SECRETS, "node-job", M, f"nodeProperties.nodeRangeProperties[0].container passes DB_PASSWORD {ECS_FIX}"),
    Finding(SECRETS, "node-job", M,
            f"nodeProperties.nodeRangeProperties[1].ecsProperties container 'worker' passes JWT_SIGNING_KEY {ECS_FIX}"),
    Finding(SECRETS, "eks-job", M, "eksProperties container 'main' passes DB_PASSWORD as a plain environment "
                                   "variable; mount it from a Kubernetes secret (podProperties.volumes[].secret)"),
    Finding(SECRETS, "eks-job", M, "eksProperties initContainer 'init' passes AWS_SECRET_ACCESS_KEY"),
    Finding(SECRETS, "later-job", M, f"containerProperties passes DB_PASSWORD {ECS_FIX}"),
    Finding(SECRETS, "param-job", M, f"parameters passes db_password as a plain parameter; {PARAMETER_FIX}"),
    Finding(SECRETS, "param-job", M,
            f"parameters passes build_info as a plain parameter whose value holds GitHub Token (detect-secrets); "
            f"{PARAMETER_FIX}"),
]
PASSING = [(SECRETS, name) for name in ("good-container-job", "good-ecs-job", "good-node-job", "good-eks-job")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_only_the_secret_names_are_reported(result):
    # LOG_LEVEL sits next to each secret; the values ("hunter2") are never echoed.
    assert len(messages(result, SECRETS, "container-job")) == 2
    assert len(messages(result, SECRETS, "ecs-job")) == 1
    assert len(messages(result, SECRETS, "param-job")) == 2
    assert not [v for v in result.violations if "hunter2" in v.message or "LOG_LEVEL" in v.message]


def test_properties_known_only_after_the_update_are_not_violations(result, first_preview):
    # later-job's containerProperties embed a queue's ARN: the whole string is unknown in a first preview.
    assert SECRETS in not_run(first_preview, "later-job")
    assert (SECRETS, "later-job") not in pairs(first_preview)
    assert (SECRETS, "later-job") in pairs(result)


def _job_findings(props: dict) -> set[str]:
    job = Res("aws:batch/jobDefinition:JobDefinition", "app-job", {"name": "app-job", "type": "container", **props})
    return {message for _, _, message in findings(analyze([job], {"all": "disabled", SECRETS: "mandatory"}))}


def test_values_are_read_too_in_json_containers_and_eks_blocks_and_an_unknown_one_is_skipped():
    url, kind = SECRET_VALUES["DATABASE_URL"]
    container = {"image": "app:1.0", "environment": [{"name": "DATABASE_URL", "value": url}]}
    assert _job_findings({"containerProperties": json.dumps(container)}) == {
        f"containerProperties passes DATABASE_URL as a plain environment variable whose value holds {kind}; "
        "inject it from `secrets` (valueFrom)"}
    pod = {"containers": [{"name": "main", "image": "app:1.0", "envs": [
        {"name": "DATABASE_URL", "value": url}, {"name": "REPLICA_URL", "value": UNKNOWN}]}]}
    assert _job_findings({"eksProperties": {"podProperties": pod}}) == {
        f"eksProperties container 'main' passes DATABASE_URL as a plain environment variable whose value holds "
        f"{kind}; mount it from a Kubernetes secret (podProperties.volumes[].secret)"}


def test_each_secret_shape_is_found_under_an_innocuous_name_and_ordinary_values_are_not():
    def container(variables: dict) -> dict:
        return {"containerProperties": json.dumps({"image": "app:1.0", "environment": [
            {"name": name, "value": value} for name, value in variables.items()]})}

    for name, (value, kind) in SECRET_VALUES.items():
        assert _job_findings(container({name: value, "LOG_LEVEL": "info"})) == {
            f"containerProperties passes {name} as a plain environment variable whose value holds {kind}; inject it "
            "from `secrets` (valueFrom)"}, name
    assert _job_findings(container(CLEAN_VALUES)) == set()
