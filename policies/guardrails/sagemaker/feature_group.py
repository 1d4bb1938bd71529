"""SageMaker AI Feature Store feature groups: the keys their offline and online stores encrypt records under, as
pulumi-aws sends them (terraform-provider-aws `aws_sagemaker_feature_group` sends each store's block only when
given, and in it `kms_key_id`, `security_config` and `storage_type` only when set; `enable_online_store` is false when
left out). Every one of them is ForceNew: CreateFeatureGroup alone takes the keys."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_map, is_true, peek
from ..core.registry import ADVISORY, resource_policy
from . import FEATURE_GROUP, no_customer_key

# The online store's storage type SageMaker.18 judges ("with standard storage"), and CreateFeatureGroup's default.
_STANDARD = "Standard"
_UNCONTROLLED = ("encrypted under a key whose policy, grants, rotation and state the account does not control; set "
                 "it the ARN of a customer managed key (Feature Store sets it at creation only: the feature group is "
                 "replaced, and its records with it)")


@resource_policy(
    "sagemaker-feature-group-offline-store-cmk", FEATURE_GROUP,
    description="SageMaker AI feature groups should encrypt the records their offline store writes to S3 with a "
                "customer managed KMS key, whose key policy, grants, rotation and state the account controls.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub SageMaker.17", "Config sagemaker-featuregroup-encryption-at-rest"),
)
def offline_store_cmk(args: ResourceValidationArgs) -> Iterator[str]:
    """where `offlineStoreConfig` is given, its `s3StorageConfig.kmsKeyId` is set, and is not an AWS managed key's
    alias (`alias/aws/...`); left out, Feature Store encrypts the objects under the AWS managed key (Developer
    Guide, "Security and access control"); a feature group without an offline store, or an unknown value, is not
    judged"""
    store = peek(args.props, "offlineStoreConfig")
    state = no_customer_key(peek(store, "s3StorageConfig", "kmsKeyId")) if is_map(store) else None
    if state:
        yield (f"offlineStoreConfig.s3StorageConfig.kmsKeyId is {state}: the records the offline store writes to "
               f"S3 are {_UNCONTROLLED}")


@resource_policy(
    "sagemaker-feature-group-online-store-cmk", FEATURE_GROUP,
    description="SageMaker AI feature groups with a standard online store should encrypt its records with a customer "
                "managed KMS key, whose key policy, grants, rotation and state the account controls.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub SageMaker.18", "Config sagemaker-featuregroup-online-store-encryption"),
)
def online_store_cmk(args: ResourceValidationArgs) -> Iterator[str]:
    """where `onlineStoreConfig.enableOnlineStore` is true and its `storageType` is Standard or left out (the API's
    default), `securityConfig.kmsKeyId` is set, and is not an AWS managed key's alias; left out, Feature Store
    encrypts the store under an AWS owned key (Developer Guide, "Security and access control"); an `InMemory`
    store (not standard storage, which the control asks of), no online store, or an unknown value, is not judged"""
    store = peek(args.props, "onlineStoreConfig")
    if not is_map(store) or not is_true(peek(store, "enableOnlineStore")):
        return
    state = no_customer_key(peek(store, "securityConfig", "kmsKeyId"))
    if state and peek(store, "storageType") in (None, _STANDARD):
        yield f"onlineStoreConfig.securityConfig.kmsKeyId is {state}: the online store's records are {_UNCONTROLLED}"
