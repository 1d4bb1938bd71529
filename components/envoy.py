"""The containers that make a task a mesh member, built as plain data (dicts in ECS API camelCase).

Every Envoy workload (a service version or the ingress gateway) runs the same sidecar set:

    cert-init ──SUCCESS──▶ envoy ──HEALTHY──▶ app (service versions only)
        │                    │ StatsD (127.0.0.1:8125) ─▶ cloudwatch-agent ─▶ CloudWatch `<env>/Envoy`
        │                    └ X-Ray (127.0.0.1:2000) ─▶ xray-daemon ─▶ X-Ray
        └ writes the workload's mesh certificate, key and CA (from Secrets Manager) to a shared volume

Envoy, the X-Ray daemon and the CloudWatch agent run as ENVOY_UID, so the APPMESH proxy configuration's
IgnoredUID lets their own egress (control plane, X-Ray, CloudWatch) bypass Envoy.

Every long-running container is non-root with a read-only root filesystem. Fargate bind-mount volumes are
created root-owned 0755, so the only root step is `cert-init`, a short-lived non-essential container: it
writes the certificate files and hands each scratch volume to the uid that writes it, then exits. It
gets its material through ECS `secrets`, never plain environment.

Nothing here declares resources: callers resolve ARNs and names first (inside an Output apply) and
serialise the result once with json.dumps.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

from .workload import ENVOY_ADMIN_PORT, ENVOY_UID, STATSD_PORT, XRAY_PORT, TlsFiles

# Container names; the proxy configuration and dependsOn refer to them.
ENVOY = "envoy"
CERT_INIT = "cert-init"
# Service Connect tasks have no cert-init; this one prepares the app's scratch volumes instead.
VOLUME_INIT = "volume-init"
XRAY_DAEMON = "xray-daemon"
CLOUDWATCH_AGENT = "cloudwatch-agent"
APP = "app"

# Container kinds that get their own log group.
SIDECAR_KINDS = (ENVOY, CERT_INIT, XRAY_DAEMON, CLOUDWATCH_AGENT)

# Pinned sidecar images (public ECR: no pull permissions needed). Envoy's comes from the stack config.
XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.12"
CLOUDWATCH_AGENT_IMAGE = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300064.1b1344"
CERT_INIT_IMAGE = "public.ecr.aws/docker/library/busybox:1.37.0"

# Memory (MiB): a soft reservation each sidecar is guaranteed and a hard limit it may not pass. Fargate
# needs only the reservations to fit the task, so the app's hard limit is the task memory minus them.
SIDECAR_MEMORY = {
    ENVOY: (128, 256),
    XRAY_DAEMON: (32, 64),
    CLOUDWATCH_AGENT: (64, 128),
    CERT_INIT: (16, 32),
    VOLUME_INIT: (16, 32),
}
SIDECAR_MEMORY_RESERVATION = sum(SIDECAR_MEMORY[kind][0] for kind in SIDECAR_KINDS)

# The Envoy health check App Mesh documents; LIVE means Envoy has its config from the control plane.
ENVOY_HEALTH_CHECK = {
    "command": ["CMD-SHELL", f"curl -s http://localhost:{ENVOY_ADMIN_PORT}/server_info | grep state | grep -q LIVE"],
    "interval": 5,
    "timeout": 2,
    "retries": 3,
    "startPeriod": 10,
}
ENVOY_NOFILE = 15000

# Volume names.
CERT_VOLUME = "mesh-certs"
# The certificate secret's JSON keys (components/workload.py) and the variables cert-init reads them from.
CERT_SECRET_VARIABLES = {"cert_chain": "MESH_CERT_CHAIN", "key": "MESH_PRIVATE_KEY", "ca_bundle": "MESH_CA_BUNDLE"}


# --------------------------------------------------------------------------------------------------
# Envoy metrics in CloudWatch
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnvoyMetrics:
    """Where Envoy's StatsD metrics land and under which names and dimensions.

    With ENABLE_ENVOY_DOG_STATSD=1 Envoy sends DogStatsD to 127.0.0.1:8125 with the prefix `envoy.`;
    ENABLE_ENVOY_STATS_TAGS=1 adds the tags `appmesh.mesh` and `appmesh.virtual_node` (or
    `appmesh.virtual_gateway`), taken from APPMESH_RESOURCE_ARN. Envoy's own tag extraction turns
    `http.<prefix>.downstream_rq_5xx` into `http.downstream_rq_xx` with `envoy.http_conn_manager_prefix`
    (`ingress` for traffic into the workload, `egress` for its calls) and `envoy.response_code_class`.
    The CloudWatch agent turns tags into dimensions. Each raw series carries more dimensions than an alarm
    can name (listener port and protocol, the agent's `metric_type`), so the agent also publishes rollups
    with exactly the dimension sets below, and alarms and the dashboard read only those:

        envoy.http.downstream_rq_xx     {appmesh.virtual_node, envoy.http_conn_manager_prefix, envoy.response_code_class}
        envoy.http.downstream_rq_total  {appmesh.virtual_node, envoy.http_conn_manager_prefix}
        envoy.http.downstream_rq_time   {appmesh.virtual_node, envoy.http_conn_manager_prefix}  (ms; p99 works)

    and the same with `appmesh.virtual_gateway` for the ingress gateway.
    """

    environment: str

    REQUESTS_BY_CLASS = "envoy.http.downstream_rq_xx"
    REQUESTS = "envoy.http.downstream_rq_total"
    REQUEST_TIME = "envoy.http.downstream_rq_time"
    NODE = "appmesh.virtual_node"
    GATEWAY = "appmesh.virtual_gateway"
    DIRECTION = "envoy.http_conn_manager_prefix"
    CODE_CLASS = "envoy.response_code_class"
    INGRESS = "ingress"

    @property
    def namespace(self) -> str:
        return f"{self.environment}/Envoy"

    def rollups(self) -> list[list[str]]:
        return [[resource, self.DIRECTION, self.CODE_CLASS] for resource in (self.NODE, self.GATEWAY)] + \
               [[resource, self.DIRECTION] for resource in (self.NODE, self.GATEWAY)]

    def ingress(self, resource_key: str, resource_name: str, **extra: str) -> dict[str, str]:
        """The dimensions of one workload's inbound traffic (resource_key: NODE or GATEWAY)."""
        return {resource_key: resource_name, self.DIRECTION: self.INGRESS, **extra}

    def agent_config(self) -> dict:
        return {
            # One series per workload, not per task: no host dimension.
            "agent": {"omit_hostname": True},
            "metrics": {
                "namespace": self.namespace,
                "metrics_collected": {"statsd": {
                    "service_address": f"127.0.0.1:{STATSD_PORT}",
                    "metrics_collection_interval": 10,
                    "metrics_aggregation_interval": 60,
                    # Keep Envoy's dotted names: the agent's StatsD input joins a name's parts with "_" by
                    # default, which no alarm or widget here would read.
                    "metric_separator": ".",
                }},
                "aggregation_dimensions": self.rollups(),
            },
        }


def resource_name_from_arn(arn: str) -> str:
    """The App Mesh resource name Envoy tags its stats with: the last segment of
    `arn:aws:appmesh:<region>:<account>:mesh/<mesh>/virtualNode/<name>` (the agent does the same)."""
    return arn.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogTarget:
    """awslogs settings for one container: its log group and a stream prefix (the workload)."""

    group_name: str
    region: str
    stream_prefix: str

    def configuration(self) -> dict:
        return {"logDriver": "awslogs", "options": {
            "awslogs-group": self.group_name,
            "awslogs-region": self.region,
            "awslogs-stream-prefix": self.stream_prefix,
        }}


@dataclass(frozen=True)
class ScratchVolume:
    """A writable task volume for a container whose root filesystem is read-only.

    `owner` is the uid that must write it; None means any uid (sticky and world-writable, like /tmp).
    cert-init prepares it at /prepare/<name> before the container that uses it starts.
    """

    name: str
    container_path: str
    owner: Optional[int] = ENVOY_UID

    def mount(self) -> dict:
        return {"sourceVolume": self.name, "containerPath": self.container_path, "readOnly": False}

    def prepare_commands(self) -> list[str]:
        path = f"/prepare/{self.name}"
        if self.owner is None:
            return [f"chmod 1777 {path}"]
        return [f"chown {self.owner}:{self.owner} {path}", f"chmod 0700 {path}"]


def _memory(kind: str) -> dict:
    soft, hard = SIDECAR_MEMORY[kind]
    return {"memoryReservation": soft, "memory": hard}


def secret_value_from(secret_arn: str, json_key: str, version_id: Optional[str] = None) -> str:
    """ECS `valueFrom` for one key of a JSON secret: <arn>:<json-key>:<version-stage>:<version-id>.

    Pinning the version id gives the task definition a new revision (and a rolling deployment) when the
    certificate is re-issued; Envoy does not reload certificate files."""
    return f"{secret_arn}:{json_key}::{version_id or ''}"


# Scratch space each sidecar writes to. Envoy renders its bootstrap and admin log into /tmp; the agent
# writes its translated config, pid file and logs under its install directory.
ENVOY_SCRATCH = (ScratchVolume("envoy-tmp", "/tmp"),)
CLOUDWATCH_AGENT_SCRATCH = (
    ScratchVolume("cwagent-etc", "/opt/aws/amazon-cloudwatch-agent/etc"),
    ScratchVolume("cwagent-var", "/opt/aws/amazon-cloudwatch-agent/var"),
    ScratchVolume("cwagent-logs", "/opt/aws/amazon-cloudwatch-agent/logs"),
    ScratchVolume("cwagent-config", "/etc/cwagentconfig"),
)


# --------------------------------------------------------------------------------------------------
# Containers
# --------------------------------------------------------------------------------------------------


def envoy_container(*, image: str, resource_arn: str, files: TlsFiles, logs: LogTarget, region: str,
                    port_mappings: Sequence[int] = ()) -> dict:
    """The Envoy sidecar (or, with port_mappings and no app, the whole virtual gateway)."""
    return {
        "name": ENVOY,
        "image": image,
        "essential": True,
        "user": str(ENVOY_UID),
        "readonlyRootFilesystem": True,
        **_memory(ENVOY),
        "ulimits": [{"name": "nofile", "softLimit": ENVOY_NOFILE, "hardLimit": ENVOY_NOFILE}],
        "environment": _env({
            "APPMESH_RESOURCE_ARN": resource_arn,
            "AWS_REGION": region,
            "ENABLE_ENVOY_XRAY_TRACING": "1",
            "ENABLE_ENVOY_STATS_TAGS": "1",
            "ENABLE_ENVOY_DOG_STATSD": "1",
            "STATSD_PORT": str(STATSD_PORT),
            "XRAY_DAEMON_PORT": str(XRAY_PORT),
        }),
        "portMappings": [{"containerPort": port, "protocol": "tcp"} for port in port_mappings],
        "healthCheck": dict(ENVOY_HEALTH_CHECK),
        "mountPoints": [{"sourceVolume": CERT_VOLUME, "containerPath": files.directory, "readOnly": True}]
                       + [v.mount() for v in ENVOY_SCRATCH],
        # The certificate files must exist before Envoy loads its listener and client TLS config.
        "dependsOn": [{"containerName": CERT_INIT, "condition": "SUCCESS"}],
        "logConfiguration": logs.configuration(),
    }


def cert_init_container(*, secret_arn: str, files: TlsFiles, logs: LogTarget,
                        scratch: Sequence[ScratchVolume], secret_version_id: Optional[str] = None) -> dict:
    """Writes the workload's certificate chain, key and CA bundle where the mesh spec names them.

    Runs as root because Fargate volumes start root-owned: it is the one container that can create
    files Envoy (uid 1337) owns. It has no network needs and exits before anything else starts.
    """
    for path in (files.certificate_chain, files.private_key, files.ca_bundle):
        if not path.startswith(files.directory.rstrip("/") + "/"):
            raise ValueError(f"TLS file {path} is not inside the certificate volume {files.directory}")
    written = {"cert_chain": files.certificate_chain, "key": files.private_key, "ca_bundle": files.ca_bundle}
    commands = ["set -eu", "umask 077"]
    commands += [f'printf "%s\\n" "${CERT_SECRET_VARIABLES[key]}" > {path}' for key, path in written.items()]
    commands += [
        f"chown -R {ENVOY_UID}:{ENVOY_UID} {files.directory}",
        f"chmod 0500 {files.directory}",
        f"chmod 0400 {files.private_key}",
        f"chmod 0444 {files.certificate_chain} {files.ca_bundle}",
    ]
    for volume in scratch:
        commands.extend(volume.prepare_commands())
    return {
        "name": CERT_INIT,
        "image": CERT_INIT_IMAGE,
        "essential": False,
        "user": "0",
        "readonlyRootFilesystem": True,
        **_memory(CERT_INIT),
        "command": ["sh", "-c", "\n".join(commands)],
        "secrets": [{"name": variable, "valueFrom": secret_value_from(secret_arn, key, secret_version_id)}
                    for key, variable in CERT_SECRET_VARIABLES.items()],
        "mountPoints": [{"sourceVolume": CERT_VOLUME, "containerPath": files.directory, "readOnly": False}]
                       + [{"sourceVolume": v.name, "containerPath": f"/prepare/{v.name}", "readOnly": False}
                          for v in scratch],
        "logConfiguration": logs.configuration(),
    }


def volume_init_container(*, logs: LogTarget, scratch: Sequence[ScratchVolume]) -> dict:
    """Hands each scratch volume to the uid that writes it, then exits (Fargate volumes start root-owned).

    The Service Connect counterpart of cert-init, without certificates: root, non-essential, no network."""
    return {
        "name": VOLUME_INIT,
        "image": CERT_INIT_IMAGE,
        "essential": False,
        "user": "0",
        "readonlyRootFilesystem": True,
        **_memory(VOLUME_INIT),
        "command": ["sh", "-c", "\n".join(["set -eu", *[c for v in scratch for c in v.prepare_commands()]])],
        "mountPoints": [{"sourceVolume": v.name, "containerPath": f"/prepare/{v.name}", "readOnly": False}
                        for v in scratch],
        "logConfiguration": logs.configuration(),
    }


def xray_daemon_container(*, logs: LogTarget) -> dict:
    """Receives Envoy's trace segments on 127.0.0.1:2000/udp and sends them to X-Ray."""
    return {
        "name": XRAY_DAEMON,
        "image": XRAY_DAEMON_IMAGE,
        "essential": True,
        "user": str(ENVOY_UID),
        "readonlyRootFilesystem": True,
        **_memory(XRAY_DAEMON),
        "portMappings": [{"containerPort": XRAY_PORT, "protocol": "udp"}],
        "logConfiguration": logs.configuration(),
    }


def cloudwatch_agent_container(*, metrics: EnvoyMetrics, logs: LogTarget) -> dict:
    """Receives Envoy's DogStatsD on 127.0.0.1:8125/udp and publishes it to CloudWatch."""
    return {
        "name": CLOUDWATCH_AGENT,
        "image": CLOUDWATCH_AGENT_IMAGE,
        "essential": True,
        "user": str(ENVOY_UID),
        "readonlyRootFilesystem": True,
        **_memory(CLOUDWATCH_AGENT),
        "environment": _env({"CW_CONFIG_CONTENT": json.dumps(metrics.agent_config(), sort_keys=True)}),
        "portMappings": [{"containerPort": STATSD_PORT, "protocol": "udp"}],
        "mountPoints": [v.mount() for v in CLOUDWATCH_AGENT_SCRATCH],
        # Its scratch directories belong to uid 1337 only once cert-init has run.
        "dependsOn": [{"containerName": CERT_INIT, "condition": "SUCCESS"}],
        "logConfiguration": logs.configuration(),
    }


def _env(values: Mapping[str, str]) -> list[dict]:
    return [{"name": k, "value": v} for k, v in values.items()]


# --------------------------------------------------------------------------------------------------
# The whole set
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SidecarSpec:
    """Everything the sidecar set needs, already resolved to plain values."""

    envoy_image: str
    resource_arn: str
    certificate_secret_arn: str
    # The secret version to pin (None: the current version at task start).
    certificate_version_id: Optional[str]
    files: TlsFiles
    region: str
    metrics: EnvoyMetrics
    # Log group name per container kind (SIDECAR_KINDS, plus APP for service versions).
    log_groups: Mapping[str, str]
    stream_prefix: str
    # Ports Envoy itself serves (the gateway's listener); a sidecar's traffic arrives via the redirect.
    envoy_ports: Sequence[int] = ()
    # Scratch volumes of other containers in the task (the app's /tmp) that cert-init must prepare.
    extra_scratch: Sequence[ScratchVolume] = field(default_factory=tuple)

    def log(self, kind: str) -> LogTarget:
        return LogTarget(self.log_groups[kind], self.region, self.stream_prefix)


def sidecar_containers(spec: SidecarSpec) -> list[dict]:
    scratch = list(ENVOY_SCRATCH) + list(CLOUDWATCH_AGENT_SCRATCH) + list(spec.extra_scratch)
    return [
        cert_init_container(secret_arn=spec.certificate_secret_arn, files=spec.files, logs=spec.log(CERT_INIT),
                            scratch=scratch, secret_version_id=spec.certificate_version_id),
        envoy_container(image=spec.envoy_image, resource_arn=spec.resource_arn, files=spec.files,
                        logs=spec.log(ENVOY), region=spec.region, port_mappings=spec.envoy_ports),
        xray_daemon_container(logs=spec.log(XRAY_DAEMON)),
        cloudwatch_agent_container(metrics=spec.metrics, logs=spec.log(CLOUDWATCH_AGENT)),
    ]


def sidecar_volume_names(extra_scratch: Sequence[ScratchVolume] = ()) -> list[str]:
    """The task volumes the sidecar set mounts (bind mounts on Fargate's ephemeral storage)."""
    return [CERT_VOLUME] + [v.name for v in (*ENVOY_SCRATCH, *CLOUDWATCH_AGENT_SCRATCH, *extra_scratch)]
