"""What AWS looks up by name, and what an account setting covers, is one account's one region's: a companion written
through a provider pinned to another account (`allowedAccountIds`, or the last role it assumes) is another account's
resource or setting, whatever its name or region says. One whose account the stack does not tell (a profile, an
unknown setting) may be either, and leaves the verdict open (a review found ten verdicts across nine policies that
read regions and not accounts)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import DEFAULT_TAGS, UNKNOWN, Res, analyze, findings

REGION = "us-east-1"
HOME, OTHER, MAYBE, SAME = "home", "other", "maybe", "same"


def _providers() -> list[Res]:
    """`home` and `same` in account 111111111111, `other` in 222222222222 (by the role it assumes), `maybe` in an
    account the stack does not tell until the update; all in one region."""
    def provider(name: str, **settings) -> Res:
        return Res("pulumi:providers:aws", name, {"region": REGION, **settings})
    return [provider(HOME, allowedAccountIds=json.dumps(["111111111111"])),
            provider(SAME, assumeRoles=json.dumps([{"roleArn": "arn:aws:iam::111111111111:role/deploy"}])),
            provider(OTHER, assumeRoles=json.dumps([{"roleArn": "arn:aws:iam::222222222222:role/deploy"}])),
            provider(MAYBE, allowedAccountIds=UNKNOWN)]


def _found(policy: str, resources: list[Res]) -> set[str]:
    report = analyze([*_providers(), *resources], {"all": "disabled", policy: "mandatory"})
    return {name for p, name, _ in findings(report) if p == policy}


def _imds(where: str) -> list[Res]:
    return [Res("aws:ec2/instance:Instance", "app", {"ami": "ami-1", "instanceType": "t4g.small",
                                                     "subnetId": "subnet-1", "rootBlockDevice": {"encrypted": True},
                                                     "tags": DEFAULT_TAGS},
                provider=HOME),
            Res("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "defaults", {"httpTokens": "required"},
                provider=where)]


def _ebs(where: str) -> list[Res]:
    return [Res("aws:ebs/volume:Volume", "data", {"availabilityZone": "us-east-1a", "size": 10,
                                                   "tags": DEFAULT_TAGS}, provider=HOME),
            Res("aws:ebs/encryptionByDefault:EncryptionByDefault", "default", {"enabled": True}, provider=where)]


def _scan(where: str) -> list[Res]:
    # The registry's configuration scans only `other-*`: in the repository's own registry it overrides its scanOnPush.
    rules = [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "other-*", "filterType": "WILDCARD"}]}]
    return [Res("aws:ecr/repository:Repository", "app", {"name": "app", "imageScanningConfiguration": {
                "scanOnPush": True}, "tags": DEFAULT_TAGS}, provider=HOME),
            Res("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration", "scanning",
                {"scanType": "ENHANCED", "rules": rules}, provider=where)]


def _lifecycle(where: str) -> list[Res]:
    return [Res("aws:ecr/repository:Repository", "app", {"name": "app", "tags": DEFAULT_TAGS}, provider=HOME),
            Res("aws:ecr/lifecyclePolicy:LifecyclePolicy", "expire", {"repository": "app", "policy": "{}"},
                provider=where)]


def _rotation(where: str) -> list[Res]:
    return [Res("aws:secretsmanager/secret:Secret", "db", {"name": "db", "tags": DEFAULT_TAGS}, provider=HOME),
            Res("aws:secretsmanager/secretRotation:SecretRotation", "db-rotation", {
                "secretId": "db", "rotationRules": {"automaticallyAfterDays": 30}}, provider=where)]


def _log_group(where: str) -> list[Res]:
    return [Res("aws:lambda/function:Function", "fn", {"name": "fn", "runtime": "python3.12", "tags": DEFAULT_TAGS},
                provider=HOME),
            Res("aws:cloudwatch/logGroup:LogGroup", "fn-logs", {"name": "/aws/lambda/fn", "retentionInDays": 30},
                provider=where)]


# (policy, resources given where the companion lives, what a companion of another account leaves reported)
CASES = {
    "ec2-instance-imdsv2": (_imds, {"app"}),
    "ec2-ebs-encrypted": (_ebs, {"data"}),
    "ecr-repository-lifecycle-policy": (_lifecycle, {"app"}),
    "secretsmanager-secret-rotation": (_rotation, {"db"}),
    "lambda-function-log-retention": (_log_group, {"fn"}),
}


@pytest.mark.parametrize("policy", CASES)
@pytest.mark.parametrize("where", [HOME, SAME, OTHER, MAYBE])
def test_a_companion_counts_only_in_the_resources_own_account(policy, where):
    build, missing = CASES[policy]
    assert _found(policy, build(where)) == (missing if where == OTHER else set())


@pytest.mark.parametrize("partial", [False, True])
@pytest.mark.parametrize("linked", [False, True])
@pytest.mark.parametrize("where", [HOME, OTHER, MAYBE])
def test_a_rotation_naming_the_secret_exactly_counts_from_another_account(where, linked, partial):
    """Secrets Manager rotates another account's secret named by its ARN (RotateSecret works across accounts): a
    rotation made from the secret's ARN, or writing it, is the secret's wherever it is written from; so is its partial
    ARN, without the random suffix, which names its account and region as well."""
    arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf"
    resources = [Res("aws:secretsmanager/secret:Secret", "db", {"name": "db", "arn": arn, "tags": DEFAULT_TAGS},
                     provider=HOME),
                 Res("aws:secretsmanager/secretRotation:SecretRotation", "db-rotation", {
                     "secretId": arn[:-len("-AbCdEf")] if partial else arn,
                     "rotationRules": {"automaticallyAfterDays": 30}},
                     {"secretId": ["db"]} if linked else {}, provider=where)]
    assert _found("secretsmanager-secret-rotation", resources) == set()


@pytest.mark.parametrize("value", ["app", UNKNOWN])
def test_a_link_that_carries_a_name_names_the_other_accounts_resource(value):
    """A lifecycle policy made from the repository's name, written through another account's provider, is that
    account's repository's (a name is looked up where the call is made): the repository keeps its images forever.
    Made from it but unknown until the update, it may be the ARN: the verdict waits."""
    resources = [Res("aws:ecr/repository:Repository", "app", {"name": "app", "arn": "arn:aws:ecr:us-east-1:"
                                                               "111111111111:repository/app", "tags": DEFAULT_TAGS},
                     provider=HOME),
                 Res("aws:ecr/lifecyclePolicy:LifecyclePolicy", "expire", {"repository": value, "policy": "{}"},
                     {"repository": ["app"]}, provider=OTHER)]
    assert _found("ecr-repository-lifecycle-policy", resources) == ({"app"} if value == "app" else set())


@pytest.mark.parametrize("where, reported", [(HOME, {"app"}), (SAME, {"app"}), (OTHER, set()), (MAYBE, set())])
def test_a_registry_scanning_configuration_decides_only_its_own_accounts_repositories(where, reported):
    """In the repository's registry the configuration overrides its own scanOnPush and scans it not; another
    account's registry leaves its own setting, which scans it; one that may be its registry waits."""
    assert _found("ecr-repository-scan-on-push", _scan(where)) == reported


@pytest.mark.parametrize("where, judged", [(HOME, True), (SAME, True), (OTHER, False), (MAYBE, False)])
def test_a_task_family_named_by_a_service_is_one_of_the_services_account(where, judged):
    """ECS looks `family:revision` up in the service's account: a task definition of that family in another account
    (or one the stack cannot tell) is not the one it runs, and its settings say nothing of the service."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web", {
        "family": "web", "revision": 3, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256",
        "memory": "512", "containerDefinitions": json.dumps([{"name": "web", "image": "web:1", "essential": True}]),
        "tags": DEFAULT_TAGS}, provider=where)
    service = Res("aws:ecs/service:Service", "web-svc", {
        "name": "web", "cluster": "arn:aws:ecs:us-east-1:111111111111:cluster/main", "taskDefinition": "web:3",
        "launchType": "FARGATE", "desiredCount": 2, "tags": DEFAULT_TAGS}, provider=HOME)
    assert _found("ecs-service-container-health-check", [task, service]) == ({"web-svc"} if judged else set())


@pytest.mark.parametrize("named", ["family", "arn", "unknown"])
def test_a_task_definition_of_another_account_is_the_services_only_by_its_arn(named):
    """A service made from another account's task definition's family looks the family up in its own account: the
    stack's task definition's settings say nothing of it. By its ARN it names that one (ECS refuses the update), and
    a value unknown until the update waits."""
    arn = "arn:aws:ecs:us-east-1:222222222222:task-definition/web:1"
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web", {
        "family": "web", "revision": 1, "arn": arn, "containerDefinitions": json.dumps([
            {"name": "web", "image": "web:1", "essential": True}])}, provider=OTHER)
    service = Res("aws:ecs/service:Service", "web-svc", {
        "name": "web", "cluster": "arn:aws:ecs:us-east-1:111111111111:cluster/main",
        "taskDefinition": {"family": "web", "arn": arn, "unknown": UNKNOWN}[named], "launchType": "FARGATE",
        "desiredCount": 2}, {"taskDefinition": ["web"]}, provider=HOME)
    found = _found("ecs-service-container-health-check", [task, service])
    assert found == ({"web-svc"} if named == "arn" else set())


@pytest.mark.parametrize("twin", [OTHER, MAYBE, None])
def test_a_family_made_from_one_task_definition_may_be_a_twins_latest_revision(twin):
    """A service naming a bare family made from one task definition (`family=web.family`) runs the family's latest
    revision in its account and region: a twin registering that family through a provider of an account the stack
    does not tell may be it, and the verdict waits; in another account, or with no twin, the linked one is it."""
    def task(name: str, where: str, health: bool) -> Res:
        container = {"name": "web", "image": "web:1", "essential": True,
                     **({"healthCheck": {"command": ["CMD-SHELL", "true"]}} if health else {})}
        return Res("aws:ecs/taskDefinition:TaskDefinition", name, {
            "family": "web", "revision": 1, "containerDefinitions": json.dumps([container])}, provider=where)
    service = Res("aws:ecs/service:Service", "web-svc", {
        "name": "web", "cluster": "arn:aws:ecs:us-east-1:111111111111:cluster/main", "taskDefinition": "web",
        "launchType": "FARGATE", "desiredCount": 2}, {"taskDefinition": ["web"]}, provider=HOME)
    twins = [task("web-twin", twin, health=True)] if twin else []
    found = _found("ecs-service-container-health-check", [task("web", HOME, health=False), *twins, service])
    assert found == (set() if twin == MAYBE else {"web-svc"})
