"""SageMaker AI guardrails against tests/programs/policy_sagemaker (raw notebook instances, endpoint configurations,
models, Model Monitor jobs and feature groups)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_sagemaker"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
QUALITY_JOB = "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
SCHEDULE = "aws:sagemaker/monitoringSchedule:MonitoringSchedule"
FEATURE_GROUP = "aws:sagemaker/featureGroup:FeatureGroup"
INTERNET, VPC = "sagemaker-notebook-no-direct-internet-access", "sagemaker-notebook-in-vpc"
ROOT, PLATFORM = "sagemaker-notebook-root-access-disabled", "sagemaker-notebook-supported-platform"
NOTEBOOK_KEY = "sagemaker-notebook-cmk"
OFFLINE_KEY, ONLINE_KEY = "sagemaker-feature-group-offline-store-cmk", "sagemaker-feature-group-online-store-cmk"
INSTANCES = "sagemaker-endpoint-config-multi-instance"
MODEL_ISOLATION = "sagemaker-model-network-isolation"
JOB_ISOLATION, JOB_ENCRYPTION = "sagemaker-monitoring-network-isolation", "sagemaker-monitoring-traffic-encryption"
CONFIG = {INSTANCES: {"exemptEndpointConfigs": ["dev-*"]}, MODEL_ISOLATION: {"exemptModels": ["feature-lookup-*"]}}
ONE_INSTANCE = ("has initialInstanceCount 1: the variant runs one instance in one Availability Zone, and inference "
                "stops while SageMaker replaces it; set 2 or more, which SageMaker spreads across Availability Zones, "
                "or name the configuration in exemptEndpointConfigs")
NOT_ISOLATED = ("the model's containers can make and take network calls, to the internet too unless a VPC stops them, "
                "and get the execution role's credentials; set true")
CALLS_OUT = "the monitoring job's containers can call out over the network with the data they analyze; set it true"
PLAIN_TEXT = "the data the monitoring job's instances exchange crosses the network in plain text; set it true"
UNCONTROLLED = ("encrypted under a key whose policy, grants, rotation and state the account does not control; set it "
                "the ARN of a customer managed key (Feature Store sets it at creation only: the feature group is "
                "replaced, and its records with it)")
AWS_KEY = "arn:aws:kms:us-east-1:123456789012:alias/aws/sagemaker"

FAILING = [
    # Left out, the provider sends Enabled.
    Finding(INTERNET, "default-notebook", "mandatory",
            "directInternetAccess is unset (Enabled): SageMaker gives the notebook instance a network interface to "
            "the internet that bypasses the VPC's security groups, network ACLs and egress inspection; set Disabled "
            "with subnetId and securityGroups, and reach the internet through a NAT gateway or VPC endpoints "
            "(SageMaker sets it at creation only: the instance is replaced)"),
    Finding(INTERNET, "online-notebook", "mandatory", "directInternetAccess is Enabled: SageMaker gives"),
    Finding(VPC, "default-notebook", "mandatory",
            "subnetId is unset: the notebook instance runs in the SageMaker service VPC, where none of your security "
            "groups, network ACLs or routes apply; set subnetId (and securityGroups) to a subnet of your VPC "
            "(SageMaker sets it at creation only: the instance is replaced)"),
    Finding(ROOT, "default-notebook", "mandatory",
            "rootAccess is unset (Enabled): every user of the notebook instance can act as root on it; set Disabled "
            "(lifecycle configurations still run as root, so setup scripts keep working)"),
    Finding(ROOT, "rooted-notebook", "mandatory", "rootAccess is Enabled: every user of the notebook instance"),
    Finding(PLATFORM, "al2-notebook", "mandatory",
            "platformIdentifier is notebook-al2-v3, an Amazon Linux 1 or 2 platform that gets no more SageMaker "
            "security updates or fixes; set notebook-al2023-v1 or leave it out (the API's default; SageMaker sets it "
            "at creation only: the instance is replaced)"),
    # Left out, the provider sends none and SageMaker uses a key of its own.
    Finding(NOTEBOOK_KEY, "default-notebook", "advisory",
            "kmsKeyId is unset: the notebook instance's ML storage volume, with the users' notebooks and data, is "
            "encrypted under a key whose policy, grants, rotation and state the account does not control; set "
            "kmsKeyId the ARN of a customer managed key (SageMaker sets it at creation only: the instance is "
            "replaced)"),
    Finding(NOTEBOOK_KEY, "aws-key-notebook", "advisory",
            "kmsKeyId is arn:aws:kms:us-east-1:123456789012:alias/aws/sagemaker, an AWS managed key: the notebook"),
    Finding(INSTANCES, "single-endpoint", "advisory", f"productionVariants[0] {ONE_INSTANCE}"),
    # Each variant on its own: the second of two.
    Finding(INSTANCES, "mixed-endpoint", "advisory", f"productionVariants[1] {ONE_INSTANCE}"),
    Finding(MODEL_ISOLATION, "open-model", "mandatory",
            f"enableNetworkIsolation is false: {NOT_ISOLATED} (SageMaker still loads the model artifacts and image; "
            "it sets it at creation only: the model is replaced)"),
    # Left out, the provider sends none and CreateModel's default is false.
    Finding(MODEL_ISOLATION, "default-model", "mandatory", f"enableNetworkIsolation is unset (false): {NOT_ISOLATED}"),
    # No networkConfig at all: the provider sends none, and the switch is off.
    Finding(JOB_ISOLATION, "open-quality", "mandatory",
            f"networkConfig.enableNetworkIsolation is unset (false): {CALLS_OUT}"),
    Finding(JOB_ENCRYPTION, "open-quality", "mandatory",
            f"networkConfig.enableInterContainerTrafficEncryption is unset (false): {PLAIN_TEXT}"),
    Finding(JOB_ENCRYPTION, "plain-quality", "mandatory",
            f"networkConfig.enableInterContainerTrafficEncryption is false: {PLAIN_TEXT}"),
    Finding(JOB_ISOLATION, "open-schedule", "mandatory",
            "monitoringScheduleConfig.monitoringJobDefinition.networkConfig.enableNetworkIsolation is unset (false): "
            f"{CALLS_OUT}"),
    # A schedule's own job definition, one instance too (Config's sagemaker-monitoring-schedule-traffic-encryption).
    Finding(JOB_ENCRYPTION, "single-schedule", "mandatory",
            "monitoringScheduleConfig.monitoringJobDefinition.networkConfig.enableInterContainerTrafficEncryption is "
            f"unset (false): {PLAIN_TEXT}"),
    Finding(OFFLINE_KEY, "default-features", "advisory",
            f"offlineStoreConfig.s3StorageConfig.kmsKeyId is unset: the records the offline store writes to S3 are "
            f"{UNCONTROLLED}"),
    Finding(OFFLINE_KEY, "aws-key-features", "advisory",
            f"offlineStoreConfig.s3StorageConfig.kmsKeyId is {AWS_KEY}, an AWS managed key: the records"),
    # Left out, storageType is Standard.
    Finding(ONLINE_KEY, "default-features", "advisory",
            f"onlineStoreConfig.securityConfig.kmsKeyId is unset: the online store's records are {UNCONTROLLED}"),
    Finding(ONLINE_KEY, "aws-key-features", "advisory",
            f"onlineStoreConfig.securityConfig.kmsKeyId is {AWS_KEY}, an AWS managed key: the online store's"),
]
PASSING = [
    (INTERNET, "private-notebook"),
    (VPC, "private-notebook"),
    # A subnet known only after the update.
    (VPC, "later-subnet-notebook"),
    (ROOT, "private-notebook"),
    # Left out, CreateNotebookInstance picks notebook-al2023-v1; a newer AL2023 platform.
    (PLATFORM, "private-notebook"), (PLATFORM, "default-notebook"), (PLATFORM, "al2023-v2-notebook"),
    # A customer managed key of the stack (its ARN unknown in a first preview).
    (NOTEBOOK_KEY, "private-notebook"),
    # Two instances; serverless (no instances); exempted; a count known only after the update.
    (INSTANCES, "redundant-endpoint"), (INSTANCES, "serverless-endpoint"), (INSTANCES, "dev-single-endpoint"),
    (INSTANCES, "later-count-endpoint"),
    (MODEL_ISOLATION, "isolated-model"), (MODEL_ISOLATION, "feature-lookup-model"), (MODEL_ISOLATION, "later-model"),
    (JOB_ISOLATION, "sealed-quality"), (JOB_ISOLATION, "later-quality"), (JOB_ISOLATION, "sealed-schedule"),
    (JOB_ISOLATION, "plain-quality"), (JOB_ENCRYPTION, "sealed-quality"), (JOB_ENCRYPTION, "later-quality"),
    (JOB_ENCRYPTION, "sealed-schedule"), (JOB_ENCRYPTION, "open-schedule"),
    # It names its job definition, whose own settings are judged.
    (JOB_ISOLATION, "named-schedule"),
    (JOB_ENCRYPTION, "named-schedule"),
    # A data quality job definition on one instance: no traffic between instances (Config's
    # sagemaker-data-quality-job-encrypt-in-transit asks from 2 on).
    (JOB_ENCRYPTION, "single-quality"), (JOB_ISOLATION, "single-quality"), (JOB_ISOLATION, "single-schedule"),
    # Customer managed keys of the stack (their ARNs unknown in a first preview).
    (OFFLINE_KEY, "sealed-features"), (ONLINE_KEY, "sealed-features"), (OFFLINE_KEY, "offline-features"),
    # No online store (enableOnlineStore false), an in-memory one, no offline store.
    (ONLINE_KEY, "offline-features"), (ONLINE_KEY, "in-memory-features"), (OFFLINE_KEY, "in-memory-features"),
]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def notebook(**props):
    return Res(NOTEBOOK, "notebook", {"name": "notebook", "instanceType": "ml.t3.medium", "tags": DEFAULT_TAGS,
                                      "roleArn": "arn:aws:iam::123456789012:role/sagemaker", **props})


PRIVATE = {"directInternetAccess": "Disabled", "rootAccess": "Disabled", "subnetId": "subnet-1",
           "securityGroups": ["sg-1"]}


def set_only(props):
    return {key: value for key, value in props.items() if value is not None}


@pytest.mark.parametrize("access, reported", [
    ("Disabled", False), ("Enabled", True), (None, True), (UNKNOWN, False),
    # The provider matches the two values case-sensitively and refuses any other; a map is no setting it takes.
    ("disabled", False), ({"value": "Enabled"}, False)])
def test_a_notebook_has_no_direct_internet_access(access, reported):
    assert (INTERNET in policies_found([notebook(**set_only({**PRIVATE, "directInternetAccess": access}))])) == reported


@pytest.mark.parametrize("access, reported", [("Disabled", False), ("Enabled", True), (None, True), (UNKNOWN, False)])
def test_a_notebook_gives_no_root_access(access, reported):
    assert (ROOT in policies_found([notebook(**set_only({**PRIVATE, "rootAccess": access}))])) == reported


@pytest.mark.parametrize("subnet, reported", [("subnet-1", False), (UNKNOWN, False), (None, True), ("", True)])
def test_a_notebook_runs_in_a_subnet_of_a_vpc(subnet, reported):
    assert (VPC in policies_found([notebook(**set_only({**PRIVATE, "subnetId": subnet}))])) == reported


@pytest.mark.parametrize("platform, reported", [
    ("notebook-al2023-v1", False), ("notebook-al2023-v2", False), (None, False), (UNKNOWN, False),
    ("notebook-al1-v1", True), ("notebook-al2-v1", True), ("notebook-al2-v2", True), ("notebook-al2-v3", True),
    (["notebook-al2-v3"], False)])
def test_a_notebook_runs_on_a_supported_platform(platform, reported):
    assert (PLATFORM in policies_found([notebook(**set_only({**PRIVATE, "platformIdentifier": platform}))])) == reported


@pytest.mark.parametrize("key, reported", [
    ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", False),
    ("arn:aws:kms:us-east-1:123456789012:alias/notebooks", False), (UNKNOWN, False), (None, True), ("", True),
    ("arn:aws:kms:us-east-1:123456789012:alias/aws/sagemaker", True), ("alias/aws/sagemaker", True)])
def test_a_notebook_encrypts_its_volume_with_a_customer_managed_key(key, reported):
    found = policies_found([notebook(**set_only({**PRIVATE, "kmsKeyId": key}))])
    assert (NOTEBOOK_KEY in found) == reported


def endpoint_config(*variants, name="orders"):
    return Res(ENDPOINT_CONFIG, "config", {"name": name, "productionVariants": list(variants), "tags": DEFAULT_TAGS})


@pytest.mark.parametrize("variant, reported", [
    ({"initialInstanceCount": 1}, True), ({"initialInstanceCount": "1"}, True), ({"initialInstanceCount": 2}, False),
    # Serverless: no instances; a count left out (the provider sends none) or unknown is not judged.
    ({"serverlessConfig": {"maxConcurrency": 5, "memorySizeInMb": 2048}}, False), ({}, False),
    ({"initialInstanceCount": UNKNOWN}, False), ({"initialInstanceCount": True}, False)])
def test_an_endpoint_variant_runs_more_than_one_instance(variant, reported):
    found = policies_found([endpoint_config({"variantName": "v", "modelName": "m", **variant})])
    assert (INSTANCES in found) == reported


@pytest.mark.parametrize("name, exempt, reported", [
    ("dev-orders", ["dev-*"], False), ("orders", ["dev-*"], True), (UNKNOWN, ["dev-*"], False), (UNKNOWN, [], True)])
def test_an_exempted_endpoint_config_may_run_one_instance(name, exempt, reported):
    # A name unknown until the update may be one the knob names.
    config = {INSTANCES: {"exemptEndpointConfigs": exempt}}
    found = policies_found([endpoint_config({"variantName": "v", "initialInstanceCount": 1}, name=name)], config)
    assert (INSTANCES in found) == reported


@pytest.mark.parametrize("isolation, reported", [
    (True, False), ("true", False), (False, True), (None, True), (UNKNOWN, False)])
def test_a_model_is_network_isolated(isolation, reported):
    props = {"name": "churn", "executionRoleArn": "arn:aws:iam::123456789012:role/sagemaker", "tags": DEFAULT_TAGS,
             **({} if isolation is None else {"enableNetworkIsolation": isolation})}
    assert (MODEL_ISOLATION in policies_found([Res(MODEL, "model", props)])) == reported


@pytest.mark.parametrize("name, reported", [("feature-lookup-churn", False), ("churn", True), (UNKNOWN, False)])
def test_an_exempted_model_may_call_out(name, reported):
    model = Res(MODEL, "model", {"name": name, "executionRoleArn": "r", "tags": DEFAULT_TAGS})
    config = {MODEL_ISOLATION: {"exemptModels": ["feature-lookup-*"]}}
    assert (MODEL_ISOLATION in policies_found([model], config)) == reported


def monitoring_jobs(network, instances=2):
    """A data quality job definition and a monitoring schedule whose own job definition has `network` (None: no
    networkConfig) and runs `instances` instances (None: no count)."""
    job = {} if network is None else {"networkConfig": network}
    cluster = {"clusterConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 20,
                                 **({} if instances is None else {"instanceCount": instances})}}
    return [Res(QUALITY_JOB, "quality", {"name": "quality", "tags": DEFAULT_TAGS, "jobResources": cluster, **job}),
            Res(SCHEDULE, "schedule", {"name": "schedule", "tags": DEFAULT_TAGS, "monitoringScheduleConfig": {
                "monitoringType": "DataQuality",
                "monitoringJobDefinition": {"roleArn": "r", "monitoringResources": cluster, **job}}})]


@pytest.mark.parametrize("network, reported", [
    ({"enableNetworkIsolation": True}, False), ({"enableNetworkIsolation": "true"}, False), (None, True), ({}, True),
    ({"enableNetworkIsolation": False}, True), (UNKNOWN, False), ({"enableNetworkIsolation": UNKNOWN}, False)])
def test_a_monitoring_job_is_network_isolated(network, reported):
    for job in monitoring_jobs(network):
        assert (JOB_ISOLATION in policies_found([job])) == reported


@pytest.mark.parametrize("network, reported", [
    ({"enableInterContainerTrafficEncryption": True}, False), (None, True), ({}, True),
    ({"enableNetworkIsolation": True, "enableInterContainerTrafficEncryption": False}, True), (UNKNOWN, False),
    ({"enableInterContainerTrafficEncryption": UNKNOWN}, False)])
def test_a_monitoring_job_encrypts_the_traffic_between_its_instances(network, reported):
    for job in monitoring_jobs(network):
        assert (JOB_ENCRYPTION in policies_found([job])) == reported


@pytest.mark.parametrize("instances, reported", [
    (2, True), (100, True), ("3", True), (1, False), ("1", False), (UNKNOWN, False), (None, False)])
def test_a_data_quality_job_on_one_instance_needs_no_traffic_encryption(instances, reported):
    """Config's sagemaker-data-quality-job-encrypt-in-transit: "when the instance count is 2 or greater"; a count
    unknown until the update, or left out (botocore requires it), is not judged."""
    quality, _ = monitoring_jobs({"enableInterContainerTrafficEncryption": False}, instances)
    assert (JOB_ENCRYPTION in policies_found([quality])) == reported


@pytest.mark.parametrize("instances", [1, 2, UNKNOWN, None])
def test_a_schedules_own_job_encrypts_its_traffic_whatever_its_instance_count(instances):
    """Config's sagemaker-monitoring-schedule-traffic-encryption has no instance count condition."""
    _, schedule = monitoring_jobs({"enableInterContainerTrafficEncryption": False}, instances)
    assert JOB_ENCRYPTION in policies_found([schedule])


@pytest.mark.parametrize("schedule_config", [{"monitoringJobDefinitionName": "quality"}, UNKNOWN,
                                             {"monitoringJobDefinition": UNKNOWN}])
def test_a_schedule_without_a_known_job_definition_of_its_own_is_not_judged(schedule_config):
    schedule = Res(SCHEDULE, "schedule", {"name": "schedule", "tags": DEFAULT_TAGS,
                                          "monitoringScheduleConfig": schedule_config})
    assert not policies_found([schedule]) & {JOB_ISOLATION, JOB_ENCRYPTION}


def feature_group(offline=None, online=None):
    stores = {**({} if offline is None else {"offlineStoreConfig": offline}),
              **({} if online is None else {"onlineStoreConfig": online})}
    return Res(FEATURE_GROUP, "features", {"featureGroupName": "features", "tags": DEFAULT_TAGS, **stores})


CUSTOMER_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("offline, reported", [
    ({"s3StorageConfig": {"s3Uri": "s3://f/o", "kmsKeyId": CUSTOMER_KEY}}, False),
    ({"s3StorageConfig": {"s3Uri": "s3://f/o", "kmsKeyId": UNKNOWN}}, False), ({"s3StorageConfig": UNKNOWN}, False),
    (UNKNOWN, False), (None, False), ({"s3StorageConfig": {"s3Uri": "s3://f/o"}}, True),
    ({"s3StorageConfig": {"s3Uri": "s3://f/o", "kmsKeyId": AWS_KEY}}, True)])
def test_a_feature_groups_offline_store_uses_a_customer_managed_key(offline, reported):
    assert (OFFLINE_KEY in policies_found([feature_group(offline=offline)])) == reported


@pytest.mark.parametrize("online, reported", [
    ({"enableOnlineStore": True, "securityConfig": {"kmsKeyId": CUSTOMER_KEY}}, False),
    ({"enableOnlineStore": True}, True), ({"enableOnlineStore": "true", "storageType": "Standard"}, True),
    ({"enableOnlineStore": True, "securityConfig": {"kmsKeyId": AWS_KEY}}, True),
    ({"enableOnlineStore": True, "securityConfig": {}}, True),
    # No online store (false is the provider's default), in-memory storage, or what is unknown until the update.
    ({"enableOnlineStore": False}, False), ({}, False), ({"enableOnlineStore": UNKNOWN}, False),
    ({"enableOnlineStore": True, "storageType": "InMemory"}, False),
    ({"enableOnlineStore": True, "storageType": UNKNOWN}, False),
    ({"enableOnlineStore": True, "securityConfig": UNKNOWN}, False), (UNKNOWN, False)])
def test_a_feature_groups_standard_online_store_uses_a_customer_managed_key(online, reported):
    assert (ONLINE_KEY in policies_found([feature_group(online=online)])) == reported
