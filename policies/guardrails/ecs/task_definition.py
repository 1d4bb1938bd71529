"""ECS task definition hardening, per container (messages name the container)."""
from __future__ import annotations

import posixpath
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, dig, has_text, is_map, is_true, member, number, peek, peek_items
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from ..core.secret_names import SECRET_NAME_KNOBS, secret_env_findings
from . import CONTAINER_HOLDERS, SC_SECRET_PREFIX, TASK_DEFINITION, TASK_DEFINITIONS, external_only
from .containers import (APP_SECRETS, each_container, image_problem, injected_secrets, is_envoy_image,
                         is_root, secrets_manager_name, uid)

EXEMPT_CONTAINERS = {"exemptContainers": string_list("Container names this rule does not apply to.")}


@resource_policy(
    "ecs-taskdef-no-privileged", TASK_DEFINITIONS,
    description="ECS containers must not run privileged.",
    severity=Severity.CRITICAL,
    anchors=("Security Hub ECS.4", "Config ecs-containers-nonprivileged"),
)
def no_privileged(args: ResourceValidationArgs) -> Iterator[str]:
    """no container sets `privileged: true`"""
    for c in each_container(args):
        if is_true(c.get("privileged")):
            yield f"{c.label} runs privileged"


def _not_on_windows(args: ResourceValidationArgs, setting: str) -> None:
    """Not applicable to a Windows task definition: ECS supports `setting` for Linux containers only (botocore ecs
    ContainerDefinition: "not supported for Windows containers")."""
    family = dig(args.props, "runtimePlatform", "operatingSystemFamily")
    if isinstance(family, str) and family.upper().startswith("WINDOWS"):
        args.not_applicable(f"ECS does not support {setting} for Windows containers ({family})")


@resource_policy(
    "ecs-taskdef-readonly-rootfs", TASK_DEFINITIONS,
    description="ECS containers must have a read-only root filesystem.",
    severity=Severity.HIGH, config=EXEMPT_CONTAINERS,
    anchors=("Security Hub ECS.5", "Config ecs-containers-readonly-access", "CKV_AWS_336"),
)
def readonly_rootfs(args: ResourceValidationArgs) -> Iterator[str]:
    """every container sets `readonlyRootFilesystem: true` (knob `exemptContainers`); not in a task definition whose
    `runtimePlatform.operatingSystemFamily` is Windows, whose containers ECS does not give the setting"""
    _not_on_windows(args, "readonlyRootFilesystem")
    exempt = set(config_list(args, "exemptContainers"))
    for c in each_container(args):
        if c.name not in exempt and not is_true(c.get("readonlyRootFilesystem")):
            yield f"{c.label} does not set readonlyRootFilesystem = true"


@resource_policy(
    "ecs-taskdef-nonroot-user", TASK_DEFINITIONS,
    description="ECS containers must run as an explicit non-root user.",
    severity=Severity.HIGH, config=EXEMPT_CONTAINERS,
    anchors=("Config ecs-task-definition-nonroot-user", "Security Hub ECS.20"),
)
def nonroot_user(args: ResourceValidationArgs) -> Iterator[str]:
    """every container sets a `user` that is not root/0 (knob `exemptContainers`); not in a task definition whose
    `runtimePlatform.operatingSystemFamily` is Windows, whose containers ECS does not give the setting"""
    _not_on_windows(args, "user")
    exempt = set(config_list(args, "exemptContainers"))
    for c in each_container(args):
        if c.name in exempt:
            continue
        user = uid(c.get("user"))
        if not user:
            yield f"{c.label} sets no user, so it runs as the image's default (usually root)"
        elif is_root(user):
            yield f"{c.label} runs as root (user {c.get('user')})"


@resource_policy(
    "ecs-taskdef-log-configuration", TASK_DEFINITIONS,
    description="Every ECS container must have a log configuration.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ECS.9", "Config ecs-task-definition-log-configuration"),
)
def log_configuration(args: ResourceValidationArgs) -> Iterator[str]:
    """every container has `logConfiguration.logDriver`"""
    for c in each_container(args):
        if not has_text(dig(c.raw, "logConfiguration", "logDriver")):
            yield f"{c.label} has no logConfiguration.logDriver"


# FireLens's CloudWatch Logs outputs, and the `auto_create_group` values each reads as "create the group", in any
# case: Fluent Bit's own plugin takes any of its booleans' true (flb_utils_bool), AWS's older Go plugin "true" alone.
_AUTO_CREATE = {"cloudwatch_logs": ("true", "on", "yes"), "cloudwatch": ("true",)}


def _self_made_group(log: Any) -> Optional[tuple[str, Any, str]]:
    """(what creates it, the group's name, what that leaves the group without) where a container's log driver creates
    its CloudWatch log group itself: the awslogs driver with `awslogs-create-group` "true", or a FireLens CloudWatch
    Logs output (`_AUTO_CREATE`) with `auto_create_group` (Fluent Bit reads its keys in any case too; a
    `log_retention_days` above 0 gives the group it makes a retention)."""
    options = dig(log, "options")
    if dig(log, "logDriver") == "awslogs" and str(dig(options, "awslogs-create-group")).lower() == "true":
        return "the awslogs driver", dig(options, "awslogs-group"), "unencrypted by the stack's key, kept forever"
    output = str(member(options, "Name")).lower()
    if dig(log, "logDriver") == "awsfirelens" and str(member(options, "auto_create_group")).lower() in \
            _AUTO_CREATE.get(output, ()):
        kept = "" if (number(member(options, "log_retention_days")) or 0) > 0 else ", kept forever"
        return (f"FireLens's {output} output (auto_create_group)", member(options, "log_group_name"),
                f"unencrypted by the stack's key{kept}")
    return None


@resource_policy(
    "ecs-taskdef-awslogs-group-declared", TASK_DEFINITIONS,
    description="ECS containers logging to CloudWatch Logs (awslogs, or FireLens) must not let the driver create "
                "their log group: a group it creates has no KMS key, keeps logs forever and belongs to no stack.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchor_note="the awslogs driver's and Fluent Bit's CloudWatch output's own options; no rule id",
    remediation="Declare the log group (with a KMS key and a retention) and drop awslogs-create-group (FireLens: "
                "auto_create_group).",
)
def awslogs_group_declared(args: ResourceValidationArgs) -> Iterator[str]:
    """no container's `logConfiguration` sets `options.awslogs-create-group` to true (driver `awslogs`), nor
    `auto_create_group` to true for a FireLens CloudWatch Logs output (driver `awsfirelens`, option `Name`
    `cloudwatch_logs`, where on and yes are true too, or the older Go plugin's `cloudwatch`), in any case"""
    for c in each_container(args):
        made = _self_made_group(c.get("logConfiguration"))
        if made:
            creator, group, harms = made
            yield (f"{c.label} lets {creator} create log group {group!s} at its first write: {harms}, and outside the "
                   "stack")


@resource_policy(
    "ecs-taskdef-no-secret-env", CONTAINER_HOLDERS,
    description="ECS containers must not pass secrets as plain environment variables; use `secrets` (valueFrom).",
    severity=Severity.CRITICAL,
    anchors=("Security Hub ECS.8", "Config ecs-no-environment-secrets"),
    config=SECRET_NAME_KNOBS,
)
def no_secret_env(args: ResourceValidationArgs) -> Iterator[str]:
    """no `environment` name looks like a secret, read as words whatever its case and separators (`dbPassword`,
    `db-password` and `DB_PASSWORD` alike; PGPASSWORD, MYSQL_PWD, DB_PASS; not the shell's PWD; knobs
    `secretKeyPatterns`, `allowedKeys`), and no value holds a secret detect-secrets knows by its shape (a URL's
    password, a private key, a GitHub, Slack or Stripe token, an AWS access key id); the value is never echoed"""
    for c in each_container(args):
        yield from secret_env_findings(args, c.env().items(), f"{c.label} passes",
                                       "inject it from `secrets` (valueFrom)")


@resource_policy(
    "ecs-taskdef-no-ecs-sc-secret", CONTAINER_HOLDERS,
    description="ECS containers must not inject Service Connect's TLS keys (ecs-sc!* secrets) through `secrets` or "
                "the log driver's `secretOptions`.",
    severity=Severity.HIGH,
    anchor_note="the execution role reads what `secrets` and `secretOptions` name, so the task role's ecs-sc!* deny "
                "does not stop it",
)
def no_ecs_sc_secret(args: ResourceValidationArgs) -> Iterator[str]:
    """no container's `secrets[].valueFrom` or `logConfiguration.secretOptions[].valueFrom` names a Secrets Manager
    secret `ecs-sc!*` (the private keys ECS keeps for Service Connect TLS); one unknown until the update is not
    judged, the others are"""
    for c in each_container(args):
        for where, secret in injected_secrets(c.raw):
            verb, holder = ("injects", "the app") if where == APP_SECRETS else ("passes its log driver",
                                                                               "the log driver")
            name = secrets_manager_name(peek(secret, "valueFrom"))  # None for UNKNOWN: no verdict
            if name is not None and name.startswith(SC_SECRET_PREFIX):
                yield (f"{c.label} {verb} {dig(secret, 'name')} from Service Connect's TLS secret {name}; the "
                       f"execution role fetches it, so {holder} would hold the proxy's private key")


@resource_policy(
    "ecs-taskdef-memory-limit", TASK_DEFINITIONS,
    description="Every ECS container must set a hard memory limit.",
    severity=Severity.LOW, level=ADVISORY,
    anchors=("Config ecs-task-definition-memory-hard-limit", "CT.ECS.PR.7"),
)
def memory_limit(args: ResourceValidationArgs) -> Iterator[str]:
    """every container sets a hard `memory` limit"""
    for c in each_container(args):
        if c.get("memory") is None:
            yield f"{c.label} sets no hard memory limit (memory)"


@resource_policy(
    "ecs-taskdef-awsvpc-network", TASK_DEFINITION,
    description="ECS task definitions must use the awsvpc network mode (no host or bridge networking).",
    severity=Severity.HIGH,
    anchors=("Config ecs-awsvpc-networking-enabled", "CT.ECS.PR.4", "Security Hub ECS.17"),
    anchor_note="ECS.17 flags host mode only",
)
def awsvpc_network(args: ResourceValidationArgs) -> Iterator[str]:
    """`networkMode` is `awsvpc` (no host or bridge), but for a task definition only ECS Anywhere runs
    (`requiresCompatibilities` EXTERNAL alone: external instances take no awsvpc, and run in no VPC)"""
    if external_only(args.props) is not False:  # ECS Anywhere's alone, or may be until the update
        return
    mode = args.props.get("networkMode")
    if mode != "awsvpc":
        yield f"networkMode is {mode or 'unset (bridge on EC2)'}; it must be awsvpc"


@resource_policy(
    "ecs-taskdef-no-host-namespaces", TASK_DEFINITION,
    description="ECS task definitions must not share the host's process or IPC namespace.",
    severity=Severity.HIGH,
    anchors=("Security Hub ECS.3", "Config ecs-task-definition-pid-mode-check", "CKV_AWS_335"),
)
def no_host_namespaces(args: ResourceValidationArgs) -> Iterator[str]:
    """`pidMode` and `ipcMode` are not `host`"""
    for key in ("pidMode", "ipcMode"):
        if args.props.get(key) == "host":
            yield f"{key} is host; the task would share the host's {key[:3]} namespace"


# The capabilities a container may add and keep the host's isolation: Kubernetes' Pod Security Standards, baseline
# profile ("Capabilities"). The rest (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, ALL...) reach the host or other
# processes. Docker's names, which ECS takes, without the CAP_ prefix (a prefix is tolerated here).
BASELINE_CAPABILITIES = frozenset({"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                   "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})
# The SELinux types the baseline profile lets a container run as; it may set no SELinux user or role.
BASELINE_SELINUX_TYPES = frozenset({"container_t", "container_init_t", "container_kvm_t"})
# Host paths that are the host itself, its kernel's interfaces or its container runtime: a container that mounts
# one, anything under it, or a directory above it can take the host (the Docker socket starts privileged
# containers; /etc/ecs holds the agent's config and any registry credentials). `/etc` counts whole, not each file
# of it: the CA bundle under /etc/ssl is a common read-only mount. Kubernetes' baseline forbids every host path;
# this forbids these.
_HOST_PATHS = ("/proc", "/sys", "/dev", "/boot", "/root", "/lib/modules", "/etc/ecs", "/var/run/docker.sock",
               "/run/docker.sock", "/var/run/containerd", "/run/containerd", "/var/lib/docker", "/var/lib/containerd",
               "/var/lib/ecs")


def _host_path(path: str) -> bool:
    """Whether a host path is `/etc`, or is, is under, or holds one of _HOST_PATHS (`/` and `/var/run` hold the
    socket); `.` and `..` are resolved, as the kernel resolves a bind mount's source."""
    path = "/" + posixpath.normpath("/" + path).strip("/")
    return path in ("/", "/etc") or any(path == p or p.startswith(path + "/") or path.startswith(p + "/")
                                        for p in _HOST_PATHS)


def _volume_host_path(volume: Any, resource_type: str) -> Any:
    """The host path a task volume mounts: its `hostPath`, a daemon's `hosts[0].sourcePath`, or the `device` of a
    Docker volume of the local driver (Docker's default) bound to it (`driverOpts` `o` bind or rbind), which Docker
    mounts as a bind mount of that path."""
    if resource_type != TASK_DEFINITION:
        return peek(volume, "hosts", 0, "sourcePath")
    path = peek(volume, "hostPath")
    if isinstance(path, str) and path.strip():
        return path
    docker = peek(volume, "dockerVolumeConfiguration")
    options = peek(docker, "driverOpts") if is_map(docker) else None
    bound = is_map(options) and isinstance(peek(options, "o"), str) and {"bind", "rbind"} & {
        o.strip() for o in peek(options, "o").split(",")}
    return peek(options, "device") if bound and peek(docker, "driver") in (None, "local") else None


def _unconfined(option: str) -> bool:
    """Whether a dockerSecurityOptions entry turns a confinement off or steps outside the baseline's: AppArmor or
    seccomp `unconfined`, SELinux labels disabled (`label:disable`), an SELinux user or role, or a type beyond
    BASELINE_SELINUX_TYPES (`label:type:spc_t`, the super-privileged container); Docker writes `:` or `=`."""
    kind, _, value = option.replace("=", ":").partition(":")
    if kind in ("apparmor", "seccomp"):
        return value == "unconfined"
    if kind != "label":
        return False
    field, _, label = value.partition(":")
    return value == "disable" or field in ("user", "role") or (field == "type" and label not in BASELINE_SELINUX_TYPES)


def _mounts(container: Any, by_name: dict, seen: frozenset = frozenset()) -> set:
    """The volumes a container mounts: its own `mountPoints`, and every volume of the containers it takes them from
    (`volumesFrom`, followed through theirs)."""
    volumes = [dig(point, "sourceVolume") for point in as_list(container.get("mountPoints", [])) if is_map(point)]
    own = {volume for volume in volumes if isinstance(volume, str)}
    for source in as_list(container.get("volumesFrom", [])):
        name = dig(source, "sourceContainer") if is_map(source) else None
        if isinstance(name, str) and name in by_name and name not in seen:
            own |= _mounts(by_name[name], by_name, seen | {name})
    return own


def _mounted_by(judged: list, every: list) -> dict:
    """Each volume name with the judged containers that mount it, themselves or through `volumesFrom` (an exempt
    container's mounts given to another are that one's)."""
    by_name = {c.name: c for c in every if isinstance(c.name, str)}
    mounts: dict = {}
    for c in judged:
        for volume in _mounts(c, by_name, frozenset({c.name})):
            mounts.setdefault(volume, []).append(c)
    return mounts


@resource_policy(
    "ecs-taskdef-no-host-access", TASK_DEFINITIONS,
    description="ECS containers must not reach around their isolation: no capability beyond Kubernetes' baseline "
                "set, no host device, no AppArmor, seccomp or SELinux setting outside the baseline's, and no host "
                "path that is the host's kernel interfaces, /etc, or its container runtime or agent.",
    severity=Severity.HIGH, config=EXEMPT_CONTAINERS,
    anchor_note="after Kubernetes' Pod Security Standards, baseline profile: its capabilities, AppArmor, seccomp and "
                "SELinux rules; of its host-path rule, which forbids every host path, the paths that are the host; "
                "what privileged (Security Hub ECS.4) grants, one piece at a time",
    remediation="Drop the capability, device or option; mount a directory of the task's own (a Docker or EFS "
                "volume) instead of the host's; or, for an agent that must (a log or metrics daemon on EC2), name "
                "its container in exemptContainers.",
)
def no_host_access(args: ResourceValidationArgs) -> Iterator[str]:
    """no container's `linuxParameters.capabilities.add` holds a capability outside Kubernetes' baseline set (`ALL`,
    `SYS_ADMIN`, `SYS_PTRACE`, `NET_ADMIN`...), no container has `linuxParameters.devices`, no `dockerSecurityOptions`
    entry is `apparmor:unconfined`, `seccomp:unconfined`, `label:disable`, an SELinux user or role, or a type but
    `container_t`, `container_init_t`, `container_kvm_t`; and no container mounts (itself or through `volumesFrom`) a
    task volume whose `hostPath` (a daemon's: `host.sourcePath`; a local-driver Docker volume's `driverOpts` bound to a
    `device`) is `/etc` (`.` and `..` resolved), or is, holds or lies under `/proc`, `/sys`, `/dev`, `/boot`, `/root`,
    `/lib/modules`, `/etc/ecs`, the Docker or containerd socket or state, or ECS's agent state (`/` and `/var/run` hold
    them) (knob `exemptContainers`: its containers' settings and mounts)"""
    exempt = set(config_list(args, "exemptContainers"))
    every = list(each_container(args))
    judged = [c for c in every if c.name not in exempt]
    for c in judged:
        added = [str(a) for a in dig(c.raw, "linuxParameters", "capabilities", "add") or []]
        beyond = [a for a in added if a.upper().removeprefix("CAP_") not in BASELINE_CAPABILITIES]
        if beyond:
            yield f"{c.label} adds {', '.join(beyond)} to its capabilities, beyond Kubernetes' baseline set"
        for device in dig(c.raw, "linuxParameters", "devices") or []:
            yield f"{c.label} is given the host's device {dig(device, 'hostPath')}"
        for option in c.get("dockerSecurityOptions", []):
            if isinstance(option, str) and _unconfined(option.lower()):
                yield f"{c.label} sets dockerSecurityOptions {option}, outside Kubernetes' baseline confinement"
    mounts = _mounted_by(judged, every)
    for volume in peek_items(args.props, "volumes"):
        path = _volume_host_path(volume, args.resource_type)
        if isinstance(path, str) and path.strip() and _host_path(path):
            name = peek(volume, "name")
            for c in mounts.get(name, []) if isinstance(name, str) else []:  # a map names no volume (nor hashes)
                yield (f"{c.label} mounts volume {peek(volume, 'name')}, the host's {path}, which holds the host's "
                       "kernel interfaces, configuration, or container runtime or agent")


@resource_policy(
    "ecs-taskdef-image-pinned", CONTAINER_HOLDERS,
    description="ECS container images must be pinned to a version tag or digest, never latest.",
    severity=Severity.MEDIUM, level=ADVISORY,
)
def image_pinned(args: ResourceValidationArgs) -> Iterator[str]:
    """non-Envoy images carry a version tag or digest, never `latest` or untagged; one unknown until the update (an
    Express service's made from a repository's URL) is not judged"""
    for c in each_container(args):
        image = peek(c.raw, "image")
        if image is not UNKNOWN and not is_envoy_image(image):  # Envoy has its own (mandatory) policy
            problem = image_problem(image)
            if problem:
                yield f"{c.label} {problem}; pin a version tag or digest"


@resource_policy(
    "ecs-taskdef-efs-transit-encryption", TASK_DEFINITION,
    description="ECS task definitions must encrypt their EFS volumes in transit: NFS between the task and the file "
                "system is plain text unless ECS mounts it over TLS.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub ECS.18", "Config ecs-task-definition-efs-encryption-enabled", "CKV_AWS_97"),
)
def efs_transit_encryption(args: ResourceValidationArgs) -> Iterator[str]:
    """every `volumes[]` entry with an `efsVolumeConfiguration` sets its `transitEncryption` to ENABLED (ECS's
    default is DISABLED); a volume or setting unknown during preview is not judged"""
    for volume in peek_items(args.props, "volumes"):  # item by item: one unknown must not stop the rest
        efs = peek(volume, "efsVolumeConfiguration") if is_map(volume) else None
        if not is_map(efs):
            continue
        transit = peek(efs, "transitEncryption")
        if transit is not UNKNOWN and str(transit or "").upper() != "ENABLED":
            yield (f"volume {peek(volume, 'name')!r}: efsVolumeConfiguration.transitEncryption is "
                   f"{transit or 'unset (DISABLED)'}; set it to ENABLED so ECS mounts the file system over TLS")
