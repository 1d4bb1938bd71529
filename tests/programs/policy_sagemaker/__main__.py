"""Raw SageMaker AI resources, each wrong in one documented way (said outright, or left to the provider's default),
and ones that pass (some with a setting known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
SUBNET = aws.ec2.Subnet("notebooks", vpc_id="vpc-0a1b2c3d4e5f60001", cidr_block="10.0.8.0/24", tags=TAGS)
GROUPS = ["sg-0a1b2c3d4e5f60001"]
KEY = aws.kms.Key("sagemaker", description="SageMaker AI data", enable_key_rotation=True, tags=TAGS)
# A notebook instance that passes every policy but the one it gets wrong.
PRIVATE = {"direct_internet_access": "Disabled", "root_access": "Disabled", "subnet_id": "subnet-0a1b2c3d4e5f60001",
           "security_groups": GROUPS, "platform_identifier": "notebook-al2023-v1", "kms_key_id": KEY.arn}


def notebook(name, **args):
    return aws.sagemaker.NotebookInstance(name, name=name, instance_type="ml.t3.medium", role_arn=ROLE, tags=TAGS,
                                          **{**PRIVATE, **args})


notebook("private-notebook")
# Left out, the provider sends Enabled for both switches and no subnet or key; CreateNotebookInstance picks AL2023.
notebook("default-notebook", direct_internet_access=None, root_access=None, subnet_id=None, security_groups=None,
         platform_identifier=None, kms_key_id=None)
notebook("aws-key-notebook", kms_key_id="arn:aws:kms:us-east-1:123456789012:alias/aws/sagemaker")
notebook("online-notebook", direct_internet_access="Enabled")
notebook("rooted-notebook", root_access="Enabled")
notebook("al2-notebook", platform_identifier="notebook-al2-v3")
# The subnet exists only after the update: unknown in a first preview, which counts it as set.
notebook("later-subnet-notebook", subnet_id=SUBNET.id)
notebook("al2023-v2-notebook", platform_identifier="notebook-al2023-v2")


def variant(**args):
    return {"variant_name": "primary", "model_name": "churn", "instance_type": "ml.m5.large", **args}


def endpoint_config(name, *variants):
    return aws.sagemaker.EndpointConfiguration(name, name=name, production_variants=list(variants), tags=TAGS)


endpoint_config("single-endpoint", variant(initial_instance_count=1))
endpoint_config("mixed-endpoint", variant(initial_instance_count=3),
                variant(variant_name="canary", initial_instance_count=1))
endpoint_config("redundant-endpoint", variant(initial_instance_count=2))
endpoint_config("serverless-endpoint", {"variant_name": "primary", "model_name": "churn",
                                        "serverless_config": {"max_concurrency": 5, "memory_size_in_mb": 2048}})
endpoint_config("dev-single-endpoint", variant(initial_instance_count=1))
# Known only once the subnet exists (2 then): unknown in a first preview, which does not judge it.
endpoint_config("later-count-endpoint", variant(initial_instance_count=SUBNET.id.apply(lambda _: 2)))

CONTAINER = {"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"}


def model(name, **args):
    return aws.sagemaker.Model(name, name=name, execution_role_arn=ROLE, primary_container=CONTAINER, tags=TAGS,
                               **args)


model("isolated-model", enable_network_isolation=True)
model("open-model", enable_network_isolation=False)
model("default-model")
model("feature-lookup-model")
model("later-model", enable_network_isolation=SUBNET.id.apply(lambda _: True))

# A monitoring job's settings, as a data quality job definition and a schedule's own job definition take them.
APP = {"image_uri": "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"}
OUTPUT = {"monitoring_outputs": {"s3_output": {"s3_uri": "s3://model-monitor/reports"}}}
CLUSTER = {"instance_count": 2, "instance_type": "ml.m5.large", "volume_size_in_gb": 20}
SEALED = {"enable_network_isolation": True, "enable_inter_container_traffic_encryption": True}


def job_definition(name, network, cluster=CLUSTER):
    return aws.sagemaker.DataQualityJobDefinition(
        name, name=name, role_arn=ROLE, tags=TAGS, data_quality_app_specification=APP,
        data_quality_job_input={"endpoint_input": {"endpoint_name": "churn"}}, data_quality_job_output_config=OUTPUT,
        job_resources={"cluster_config": cluster}, network_config=network)


def schedule(name, config):
    return aws.sagemaker.MonitoringSchedule(name, name=name, tags=TAGS, monitoring_schedule_config={
        "monitoring_type": "DataQuality", "schedule_config": {"schedule_expression": "cron(0 * ? * * *)"}, **config})


def inline(network, cluster=CLUSTER):
    return {"monitoring_job_definition": {
        "role_arn": ROLE, "monitoring_app_specification": APP, "monitoring_output_config": OUTPUT,
        "monitoring_inputs": {"endpoint_input": {"endpoint_name": "churn"}},
        "monitoring_resources": {"cluster_config": cluster}, "network_config": network}}


job_definition("sealed-quality", SEALED)
job_definition("open-quality", None)
job_definition("plain-quality", {"enable_network_isolation": True, "enable_inter_container_traffic_encryption": False})
job_definition("later-quality", {"enable_network_isolation": SUBNET.id.apply(lambda _: True),
                                 "enable_inter_container_traffic_encryption": SUBNET.id.apply(lambda _: True)})
schedule("sealed-schedule", inline(SEALED))
schedule("open-schedule", inline({"enable_inter_container_traffic_encryption": True}))
schedule("named-schedule", {"monitoring_job_definition_name": "sealed-quality"})
# One instance, traffic left unencrypted: Config passes the job definition (its rule asks from 2 instances on), not
# the schedule's own (its rule asks of any).
ONE = {**CLUSTER, "instance_count": 1}
job_definition("single-quality", {"enable_network_isolation": True}, ONE)
schedule("single-schedule", inline({"enable_network_isolation": True}, ONE))

# Feature groups: each store's key, left out, said to be an AWS managed key's, or a customer managed key of the stack.
OFFLINE = {"s3_storage_config": {"s3_uri": "s3://feature-store/offline"}}
ONLINE = {"enable_online_store": True}
AWS_KEY = "arn:aws:kms:us-east-1:123456789012:alias/aws/sagemaker"


def feature_group(name, offline=None, online=None):
    return aws.sagemaker.FeatureGroup(
        name, feature_group_name=name, role_arn=ROLE, tags=TAGS, record_identifier_feature_name="customer_id",
        event_time_feature_name="event_time", offline_store_config=offline, online_store_config=online,
        feature_definitions=[{"feature_name": "customer_id", "feature_type": "String"},
                             {"feature_name": "event_time", "feature_type": "String"}])


feature_group("sealed-features", {"s3_storage_config": {**OFFLINE["s3_storage_config"], "kms_key_id": KEY.arn}},
              {**ONLINE, "storage_type": "Standard", "security_config": {"kms_key_id": KEY.arn}})
# Left out: the offline store's objects under the AWS managed key, the online store under an AWS owned key.
feature_group("default-features", OFFLINE, ONLINE)
feature_group("aws-key-features", {"s3_storage_config": {**OFFLINE["s3_storage_config"], "kms_key_id": AWS_KEY}},
              {**ONLINE, "security_config": {"kms_key_id": AWS_KEY}})
# An online store that is off (its default), and an in-memory one (no standard storage, which SageMaker.18 asks of).
feature_group("offline-features", {"s3_storage_config": {**OFFLINE["s3_storage_config"], "kms_key_id": KEY.arn}},
              {"enable_online_store": False})
feature_group("in-memory-features", online={**ONLINE, "storage_type": "InMemory"})
