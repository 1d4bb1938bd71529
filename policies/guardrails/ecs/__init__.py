"""ECS guardrails: task definitions (hardening, App Mesh sidecar wiring, Service Connect ports), services, the
EventBridge rules, schedules and pipes that start tasks (`run_task`), and clusters. Resource type tokens of the family
live here; container parsing in `containers`; how a service finds its task definition in the stack in `links`."""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import UNKNOWN, peek, peek_items

TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
# A daemon's task definition (one task per ECS Managed Instance): its containers are the provider's blocks, not JSON.
DAEMON_TASK_DEFINITION = "aws:ecs/daemonTaskDefinition:DaemonTaskDefinition"
TASK_DEFINITIONS = (TASK_DEFINITION, DAEMON_TASK_DEFINITION)
DAEMON = "aws:ecs/daemon:Daemon"
# An Express Mode service: ECS makes its task definition, load balancer and scaling from one primary container.
EXPRESS_SERVICE = "aws:ecs/expressGatewayService:ExpressGatewayService"
# What declares containers, as `containers.each_container` reads them.
CONTAINER_HOLDERS = (*TASK_DEFINITIONS, EXPRESS_SERVICE)
SERVICE = "aws:ecs/service:Service"
# A service's tasks under an EXTERNAL deployment controller: the same network and platform settings as a service.
TASK_SET = "aws:ecs/taskSet:TaskSet"
CLUSTER = "aws:ecs/cluster:Cluster"
CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"
# What else starts ECS tasks (RunTask with its own network configuration and container overrides): an EventBridge
# rule's target, an EventBridge Scheduler schedule and an EventBridge pipe.
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
SCHEDULE = "aws:scheduler/schedule:Schedule"
PIPE = "aws:pipes/pipe:Pipe"
TASK_LAUNCHERS = (EVENT_TARGET, SCHEDULE, PIPE)
# Sets an account setting (containerInsights among them) for every principal of the account without its own.
ACCOUNT_SETTING_DEFAULT = "aws:ecs/accountSettingDefault:AccountSettingDefault"
# The name prefix of the Secrets Manager secrets in which ECS keeps Service Connect's TLS private keys (the
# program states it too, in components/naming.py; the pack imports nothing from it, and a test holds the two equal).
SC_SECRET_PREFIX = "ecs-sc!"


def external_only(task_props: Any) -> Optional[bool]:
    """Whether a task definition runs on ECS Anywhere's external instances only (`requiresCompatibilities` is
    EXTERNAL alone): the team's own servers, in no VPC and without awsvpc networking; None while the list, or an
    entry of it, is unknown until the update."""
    compatibilities = peek_items(task_props, "requiresCompatibilities")
    if UNKNOWN in compatibilities:
        return None
    return compatibilities == ["EXTERNAL"]


def runs_external(runner: Any) -> Optional[bool]:
    """Whether a service or task set places its tasks on ECS Anywhere's external instances (`launchType` EXTERNAL);
    None while the launch type is unknown until the update."""
    launch_type = peek(runner.props, "launchType")
    return None if launch_type is UNKNOWN else launch_type == "EXTERNAL"
