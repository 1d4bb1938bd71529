"""SageMaker AI Model Monitor jobs, as a data quality job definition or a monitoring schedule's own job definition
defines them: network-isolated, and encrypting the traffic between their instances. terraform-provider-aws sends
`network_config` only when given, and within it each switch as written (false when left out); the API's default for
both is false."""
from __future__ import annotations

from typing import Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, peek, switched_off
from ..core.registry import resource_policy
from . import DATA_QUALITY_JOB_DEFINITION, MONITORING_SCHEDULE

# Where each type holds the job's MonitoringNetworkConfig. A schedule that names a job definition
# (`monitoringJobDefinitionName`) has no inline one: that definition's own settings are judged.
DEFINITION = {DATA_QUALITY_JOB_DEFINITION: (),
              MONITORING_SCHEDULE: ("monitoringScheduleConfig", "monitoringJobDefinition")}
JOBS = tuple(DEFINITION)


def _network_switch_off(args: ResourceValidationArgs, key: str) -> Optional[str]:
    """How the job's `networkConfig.<key>` reads when it is not known to be on ('<path> is false', '... is unset
    (false)'); None when it is on, unknown until the update, or the schedule has no inline job definition."""
    path = DEFINITION[args.resource_type]
    definition = peek(args.props, *path)
    if definition is None or definition is UNKNOWN:
        return None
    network = peek(definition, "networkConfig")
    off = None if network is UNKNOWN else switched_off(network, key)
    return off and f"{'.'.join((*path, 'networkConfig', key))} is {off}"


@resource_policy(
    "sagemaker-monitoring-network-isolation", JOBS,
    description="SageMaker AI Model Monitor jobs must run network-isolated, so their containers make no outbound "
                "calls with the endpoint's captured data.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.11", "Security Hub SageMaker.14", "Config sagemaker-data-quality-job-isolation",
             "Config sagemaker-monitoring-schedule-isolation"),
)
def network_isolation(args: ResourceValidationArgs) -> Iterator[str]:
    """a data quality job definition's `networkConfig.enableNetworkIsolation`, or a monitoring schedule's inline
    `monitoringScheduleConfig.monitoringJobDefinition.networkConfig.enableNetworkIsolation`, is true (left out, false);
    a schedule that names its job definition, or an unknown value, is not judged"""
    off = _network_switch_off(args, "enableNetworkIsolation")
    if off:
        yield (f"{off}: the monitoring job's containers can call out over the network with the data they analyze; "
               "set it true")


@resource_policy(
    "sagemaker-monitoring-traffic-encryption", JOBS,
    description="SageMaker AI Model Monitor jobs must encrypt the traffic between their instances, so the data a "
                "distributed job passes between them is not readable in transit.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub SageMaker.9", "Security Hub SageMaker.22",
             "Config sagemaker-data-quality-job-encrypt-in-transit",
             "Config sagemaker-monitoring-schedule-traffic-encryption"),
)
def traffic_encryption(args: ResourceValidationArgs) -> Iterator[str]:
    """a data quality job definition's `networkConfig.enableInterContainerTrafficEncryption`, or a monitoring
    schedule's inline job definition's, is true (left out, false); a schedule that names its job definition, or an
    unknown value, is not judged"""
    off = _network_switch_off(args, "enableInterContainerTrafficEncryption")
    if off:
        yield (f"{off}: the data the monitoring job's instances exchange crosses the network in plain text; set it "
               "true")
