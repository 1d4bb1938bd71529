"""ECS container definitions: a task definition's are a JSON *string* on the wire, with the ECS API's own camelCase
names inside (`readonlyRootFilesystem`, `logConfiguration`, `dependsOn`...), in any case the provider accepts; a
daemon task definition's and an Express service's are the provider's blocks, read here under the API's names."""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs

from ..core.props import as_list, dig, has_text, is_false, is_map
from . import DAEMON_TASK_DEFINITION, EXPRESS_SERVICE, TASK_DEFINITION

ENVOY_IMAGE_MARKER = "aws-appmesh-envoy"

# Every member name in the ECS API's ContainerDefinition and the structures under it (botocore's ecs model). The
# provider decodes containerDefinitions with Go's encoding/json, which matches a key to a member ignoring case
# (the last of two spellings wins), so `Privileged` or CloudFormation's PascalCase reach ECS as `privileged`.
_MEMBERS = (
    "add", "appProtocol", "capabilities", "command", "condition", "containerName", "containerPath", "containerPort",
    "containerPortRange", "cpu", "credentialSpecs", "credentialsParameter", "dependsOn", "devices",
    "disableNetworking", "dnsSearchDomains", "dnsServers", "dockerLabels", "dockerSecurityOptions", "drop", "enabled",
    "entryPoint", "environment", "environmentFiles", "essential", "extraHosts", "firelensConfiguration", "hardLimit",
    "healthCheck", "hostPath", "hostPort", "hostname", "ignoredExitCodes", "image", "initProcessEnabled",
    "interactive", "interval", "ipAddress", "links", "linuxParameters", "logConfiguration", "logDriver",
    "maxComputePercent", "maxSwap", "memory", "memoryReservation", "mountOptions", "mountPoints", "name",
    "namespace", "nvidiaMps", "options", "permissions", "portMappings", "privileged", "protocol", "pseudoTerminal",
    "readOnly", "readonlyRootFilesystem", "repositoryCredentials", "resourceRequirements", "restartAttemptPeriod",
    "restartPolicy", "retries", "secretOptions", "secrets", "sharedMemorySize", "sharingStrategy", "size",
    "softLimit", "sourceContainer", "sourceVolume", "startPeriod", "startTimeout", "stopTimeout", "swappiness",
    "systemControls", "timeout", "tmpfs", "type", "ulimits", "user", "value", "valueFrom", "versionConsistency",
    "volumesFrom", "workingDirectory")
_CANONICAL = {member.lower(): member for member in _MEMBERS}
# Members that are maps: their keys are data (log driver options, labels), matched as written.
_MAPS = ("dockerLabels", "options")


def canonical(value: Any, aliases: Mapping[str, str] = {}) -> Any:
    """A decoded container definition with each member under the ECS API's own name, as ECS receives it; `aliases`
    names members the API spells otherwise (the provider's block names). The provider's blocks come behind the
    unknown-checking proxy: they are read member by member as asked (`_Block`)."""
    if isinstance(value, list):
        return [canonical(item, aliases) for item in value]
    if not isinstance(value, Mapping):
        return value
    block = _Block(value, aliases)
    return block if not isinstance(value, dict) else dict(block)  # decoded JSON: read at once


def _member(key: Any, aliases: Mapping[str, str]) -> Any:
    return (aliases.get(key) or _CANONICAL.get(key.lower(), key)) if isinstance(key, str) else key


class _Block(Mapping):
    """A provider block (an Express service's primary container, a daemon task definition's container) under the ECS
    API's member names, each value read when asked: one unknown until the update raises there, as the proxy does,
    so it stops only the check that reads it (a copy read every member, and an unknown image stopped the secrets'
    check too)."""

    def __init__(self, block: Mapping, aliases: Mapping[str, str]):
        self._block, self._aliases = block, aliases
        self._keys: dict[Any, Any] = {}
        for key in block:  # the keys alone: reading them never raises
            name = _member(key, aliases)
            self._keys.pop(name, None)  # the last spelling wins, in its place
            self._keys[name] = key

    def __getitem__(self, name: Any) -> Any:
        item = self._block[self._keys[name]]
        return item if name in _MAPS else canonical(item, self._aliases)

    def __contains__(self, name: Any) -> bool:
        return name in self._keys

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Container:
    """One entry of an ECS task definition's containerDefinitions, with a readable label."""

    def __init__(self, index: int, raw: Mapping[str, Any], where: Optional[str] = None):
        self.index = index
        self.raw = raw
        self.where = where or f"containerDefinitions[{index}]"

    def get(self, key: str, default: Any = None) -> Any:
        value = self.raw.get(key)
        return default if value is None else value

    @property
    def name(self) -> Optional[str]:
        name = self.raw.get("name")
        return name if isinstance(name, str) else None  # a map or list names no container (and would not hash)

    @property
    def label(self) -> str:
        return f"container '{self.name}'" if self.name else self.where

    @property
    def essential(self) -> bool:
        # ECS treats a container without `essential` as essential.
        return not is_false(self.raw.get("essential"))

    @property
    def checks_health(self) -> bool:
        """Whether the container has a health check: `healthCheck.command` starts with CMD or CMD-SHELL (the API
        takes no other) and names a command; Docker's `["NONE"]` turns the image's check off."""
        command = as_list(dig(self.raw, "healthCheck", "command"))
        return len(command) > 1 and command[0] in ("CMD", "CMD-SHELL")

    def env(self) -> dict[str, Any]:
        """The container's `environment` as {name: value}."""
        return {e.get("name"): e.get("value") for e in as_list(self.raw.get("environment")) if is_map(e)}


# Where a container definition names secrets the execution role fetches: the app's, and its log driver's.
APP_SECRETS, LOG_DRIVER_SECRETS = "secrets", "logConfiguration.secretOptions"


def injected_secrets(raw: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(where, entry) for every secret a raw container definition injects (`APP_SECRETS`, `LOG_DRIVER_SECRETS`):
    each entry has a `name` and a `valueFrom`."""
    log = raw.get("logConfiguration")
    return [*((APP_SECRETS, s) for s in as_list(raw.get("secrets"))),
            *((LOG_DRIVER_SECRETS, s) for s in as_list(log.get("secretOptions") if is_map(log) else None))]


def containers(props: Mapping[str, Any]) -> list[Container]:
    """Parse `containerDefinitions`. Reading an unknown string raises (preview), as it should.

    Undecodable JSON yields no containers: the provider rejects it anyway, and guessing would be worse.
    """
    raw = props.get("containerDefinitions")
    if raw is None:
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [Container(i, canonical(c)) for i, c in enumerate(as_list(raw)) if is_map(c)]


# The provider's block names that are not the ECS API's (a list block is named in the plural), in a
# DaemonTaskDefinition's containerDefinitions and an Express service's primaryContainer.
_BLOCK_NAMES = {"commands": "command", "dependsOns": "dependsOn", "entryPoints": "entryPoint",
                "environments": "environment", "adds": "add", "drops": "drop"}


def each_container(args: ResourceValidationArgs) -> Iterator[Container]:
    """The containers a task definition (JSON), a daemon task definition (blocks) or an Express service (its one
    primary container, blocks) declares."""
    if args.resource_type == TASK_DEFINITION:
        yield from containers(args.props)
    elif args.resource_type == DAEMON_TASK_DEFINITION:
        blocks = args.props.get("containerDefinitions")
        yield from (Container(i, canonical(c, _BLOCK_NAMES)) for i, c in enumerate(as_list(blocks)) if is_map(c))
    elif args.resource_type == EXPRESS_SERVICE and is_map(args.props.get("primaryContainer")):
        yield Container(0, canonical(args.props["primaryContainer"], _BLOCK_NAMES), where="primaryContainer")


def secret_source(value_from: object) -> Optional[str]:
    """The service a `secrets[].valueFrom` is read from: `secretsmanager` or `ssm` (an ARN's service; a bare name
    is an SSM parameter, which ECS accepts by name in the task's own region: botocore ecs Secret.valueFrom), or
    None when there is none."""
    if not has_text(value_from):
        return None
    if not value_from.startswith("arn:"):
        return "ssm"
    parts = value_from.split(":")
    if len(parts) < 3:
        return None
    return "secretsmanager" if parts[2] == "secretsmanager" else "ssm"


def secrets_manager_name(value_from: object) -> Optional[str]:
    """The secret name (with its six-character suffix) a `secrets[].valueFrom` reads from Secrets Manager, or None.
    ECS takes the secret's ARN, optionally followed by `:json-key:version-stage:version-id`."""
    if secret_source(value_from) != "secretsmanager":
        return None
    parts = value_from.split(":")
    return parts[6] if len(parts) > 6 and parts[5] == "secret" else None


_GO_INT = re.compile(r"[+-]?[0-9]+")


def uid(user: object) -> Optional[str]:
    """The user part of `user`, `user:group`, `uid` or `uid:gid`."""
    return str(user).split(":", 1)[0].strip() if user is not None else None


def is_root(user: str) -> bool:
    """Whether a `uid` is root: by name, or a number the runtime parses as 0. containerd and runc read the uid with
    Go's strconv.Atoi: ASCII digits after an optional sign, so `00`, `+0` and `-0` are root too."""
    return user == "root" or (_GO_INT.fullmatch(user) is not None and int(user) == 0)


def is_envoy_image(image: object) -> bool:
    return isinstance(image, str) and ENVOY_IMAGE_MARKER in image


# AWS's sidecar images, by a marker in the image name, and the AWS APIs (VPC endpoint service names) each calls: the
# X-Ray daemon, the ADOT collector (X-Ray traces, and CloudWatch metrics as embedded-metric logs), the CloudWatch
# agent and App Mesh's Envoy.
SIDECAR_IMAGES = {"aws-xray-daemon": ("xray",), "aws-otel-collector": ("xray", "logs"),
                  "cloudwatch-agent": ("monitoring", "logs"), ENVOY_IMAGE_MARKER: ("appmesh-envoy-management",)}


def sidecar_markers(image: object) -> list[str]:
    """The `SIDECAR_IMAGES` markers an image reference holds."""
    return [marker for marker in SIDECAR_IMAGES if isinstance(image, str) and marker in image]


def is_sidecar(container: Container) -> bool:
    """Whether a container serves the app rather than being it: a FireLens log router (`firelensConfiguration`) or
    one of AWS's sidecar images."""
    return container.get("firelensConfiguration") is not None or bool(sidecar_markers(container.get("image")))


def image_problem(image: object) -> Optional[str]:
    """Why an image reference is not pinned, or None when it has a version tag or a digest."""
    if not has_text(image):
        return "has no image"
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image} has no tag (it means latest)"
    tag = last.rsplit(":", 1)[1]
    if tag.lower() == "latest":
        return f"image {image} uses the latest tag"
    return None
