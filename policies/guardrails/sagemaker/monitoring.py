"""SageMaker AI Model Monitor jobs, as a data quality job definition or a monitoring schedule's own job definition
defines them: network-isolated, and encrypting the traffic between their instances. terraform-provider-aws sends
`network_config` only when given, and within it each switch as written (false when left out); the API's default for
both is false."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import Severity

from ..core.props import UNKNOWN, number, peek, switched_off
from ..core.registry import resource_policy_by_type
from . import DATA_QUALITY_JOB_DEFINITION, MONITORING_SCHEDULE

# Where a schedule holds its own job definition's MonitoringNetworkConfig (a data quality job definition holds it at
# the top). A schedule that names a job definition (`monitoringJobDefinitionName`) has no inline one: that
# definition's own settings are judged.
_SCHEDULE_JOB = ("monitoringScheduleConfig", "monitoringJobDefinition")


def _findings(props: Any, path: tuple[str, ...], key: str, consequence: str) -> Iterator[str]:
    """The finding where the `networkConfig.<key>` of the job definition at `path` is not known to be on ('<path> is
    false', '... is unset (false)'); none where it is on, unknown until the update, or there is no job definition
    there (a schedule that names one)."""
    definition = peek(props, *path)
    if definition is None or definition is UNKNOWN:
        return
    network = peek(definition, "networkConfig")
    off = None if network is UNKNOWN else switched_off(network, key)
    if off:
        yield f"{'.'.join((*path, 'networkConfig', key))} is {off}: {consequence}; set it true"


_ISOLATION, _CALLS_OUT = ("enableNetworkIsolation",
                          "the monitoring job's containers can call out over the network with the data they analyze")


def _quality_isolation(props: Any) -> Iterator[str]:
    return _findings(props, (), _ISOLATION, _CALLS_OUT)


def _schedule_isolation(props: Any) -> Iterator[str]:
    return _findings(props, _SCHEDULE_JOB, _ISOLATION, _CALLS_OUT)


resource_policy_by_type(
    "sagemaker-monitoring-network-isolation",
    {DATA_QUALITY_JOB_DEFINITION: _quality_isolation, MONITORING_SCHEDULE: _schedule_isolation},
    description="SageMaker AI Model Monitor jobs must run network-isolated, so their containers make no outbound "
                "calls with the endpoint's captured data.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.11", "Security Hub SageMaker.14", "Config sagemaker-data-quality-job-isolation",
             "Config sagemaker-monitoring-schedule-isolation"),
    checks="""
    a data quality job definition's `networkConfig.enableNetworkIsolation`, or a monitoring schedule's inline
    `monitoringScheduleConfig.monitoringJobDefinition.networkConfig.enableNetworkIsolation`, is true (left out, false);
    a schedule that names its job definition, or an unknown value, is not judged""",
)

_ENCRYPTION, _PLAIN_TEXT = ("enableInterContainerTrafficEncryption",
                            "the data the monitoring job's instances exchange crosses the network in plain text")


def _quality_encryption(props: Any) -> Iterator[str]:
    """Judged where the job runs two or more instances, as Config's sagemaker-data-quality-job-encrypt-in-transit
    ("when the instance count is 2 or greater"): one instance exchanges nothing with another. botocore's
    MonitoringClusterConfig.InstanceCount is required, 1 to 100; unknown until the update, it is not judged."""
    count = number(peek(props, "jobResources", "clusterConfig", "instanceCount"))
    if isinstance(count, int | float) and count >= 2:
        yield from _findings(props, (), _ENCRYPTION, _PLAIN_TEXT)


def _schedule_encryption(props: Any) -> Iterator[str]:
    # Config's sagemaker-monitoring-schedule-traffic-encryption judges any inline job definition, one instance too.
    return _findings(props, _SCHEDULE_JOB, _ENCRYPTION, _PLAIN_TEXT)


resource_policy_by_type(
    "sagemaker-monitoring-traffic-encryption",
    {DATA_QUALITY_JOB_DEFINITION: _quality_encryption, MONITORING_SCHEDULE: _schedule_encryption},
    description="SageMaker AI Model Monitor jobs must encrypt the traffic between their instances, so the data a "
                "distributed job passes between them is not readable in transit.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.9", "Security Hub SageMaker.22",
             "Config sagemaker-data-quality-job-encrypt-in-transit",
             "Config sagemaker-monitoring-schedule-traffic-encryption"),
    checks="""
    a data quality job definition's `networkConfig.enableInterContainerTrafficEncryption`, where its
    `jobResources.clusterConfig.instanceCount` is 2 or more, or a monitoring schedule's inline job definition's,
    whatever its count, is true (left out, false), as each control's Config rule judges them; a schedule that names
    its job definition, or an unknown value, is not judged""",
)
