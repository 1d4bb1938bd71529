"""Amazon SageMaker AI guardrails: notebook instances, endpoint configurations, models, Model Monitor jobs and Feature
Store feature groups, each judged by what pulumi-aws sends for it."""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import has_text, lacks_customer_key

NOTEBOOK_INSTANCE = "aws:sagemaker/notebookInstance:NotebookInstance"
ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
DATA_QUALITY_JOB_DEFINITION = "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
MONITORING_SCHEDULE = "aws:sagemaker/monitoringSchedule:MonitoringSchedule"
FEATURE_GROUP = "aws:sagemaker/featureGroup:FeatureGroup"


def no_customer_key(key: Any) -> Optional[str]:
    """How a `kmsKeyId` that names no customer managed key reads in a finding: 'unset', or '<key>, an AWS managed
    key' (`alias/aws/...`); None where it names another key, or is unknown until the update."""
    if not lacks_customer_key(key):
        return None
    return f"{key}, an AWS managed key" if has_text(key) else "unset"
