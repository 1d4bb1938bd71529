"""ECS Service Connect: TLS from AWS Private CA, proxy logs, aliases and timeouts, and the task definition
ports the proxy serves (no managed rule set covers Service Connect).

Wire shape (pulumi-aws 7): `serviceConnectConfiguration{enabled, namespace, logConfiguration,
accessLogConfiguration{format, includeQueryParameters}, services[{portName, discoveryName,
clientAlias[{port, dnsName}], timeout{idleTimeoutSeconds, perRequestTimeoutSeconds},
tls{issuerCertAuthority{awsPcaAuthorityArn}, kmsKey, roleArn}}]}`. `clientAlias` is a list in Pulumi (the
API's `clientAliases`, at most one).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import (UNKNOWN, as_list, aws_managed_key, dig, has_text, is_map, is_set, is_true, named_by, num,
                          number, peek, unless_unknown)
from ..core.registry import ADVISORY, config_list, config_value, resource_policy, stack_policy, string_list
from ..core.stack import of_type, prop, referenced
from . import CLUSTER, SERVICE
from .containers import containers, is_envoy_image
from .links import task_definition_run_by

SC = "serviceConnectConfiguration"
DEFAULT_MAX_PER_REQUEST_TIMEOUT = 29   # API Gateway's default REST integration timeout: waiting longer is moot
# Service Connect's own idle timeout default for HTTP, HTTP/2 and gRPC ports (ECS API reference and botocore ECS,
# TimeoutConfiguration.idleTimeoutSeconds: 5 minutes; 1 hour for TCP ones, a port mapping without appProtocol).
DEFAULT_MAX_IDLE_TIMEOUT = 300
HTTP_PROTOCOLS = ("http", "http2", "grpc")  # botocore ECS ApplicationProtocol
TIMEOUTS = ("perRequestTimeoutSeconds", "idleTimeoutSeconds")
# What an HTTP, HTTP/2 or gRPC endpoint gets for a timeout it does not set: the idle timeout is ECS's documented
# default (above); the per-request one is Envoy's route timeout default, 15 s, which the Service Connect proxy keeps
# (requests cut at 15 s before ECS made it configurable, aws/containers-roadmap#1958). The ECS API reference does
# not state that one.
ECS_DEFAULT_TIMEOUTS = {"perRequestTimeoutSeconds": 15, "idleTimeoutSeconds": DEFAULT_MAX_IDLE_TIMEOUT}


def enabled_config(args: ResourceValidationArgs) -> Any:
    """The service's Service Connect block; other services are not applicable."""
    block = args.props.get(SC)
    if not is_map(block) or not is_true(block.get("enabled")):
        args.not_applicable("Service Connect is not enabled")
    return block


def sc_services(block: Any) -> Iterator[tuple[str, Any]]:
    """(label, entry) per `services[]` entry; the label names the port the entry serves."""
    for i, entry in enumerate(as_list(dig(block, "services"))):
        port = dig(entry, "portName")
        yield (f"{SC}.services[{i}] ('{port}')" if has_text(port) else f"{SC}.services[{i}]"), entry


def is_enabled(resource: Any) -> bool:
    """For stack policies: a service whose Service Connect is enabled (False when unknown)."""
    return is_true(prop(resource, SC, "enabled"))


# --- resource policies --------------------------------------------------------------------------------------


@resource_policy(
    "ecs-service-connect-tls", SERVICE,
    description="Service Connect services must encrypt traffic with TLS from AWS Private CA.",
    severity=Severity.CRITICAL,
)
def tls(args: ResourceValidationArgs) -> Iterator[str]:
    """with Service Connect enabled: every `services[]` entry has `tls` with `issuerCertAuthority.awsPcaAuthorityArn`
    and `roleArn`"""
    for label, entry in sc_services(enabled_config(args)):
        block = dig(entry, "tls")
        if not is_map(block):
            yield f"{label} has no tls; traffic to it would be plaintext (set tls with a Private CA and a role)"
            continue
        if not is_set(dig(block, "issuerCertAuthority"), "awsPcaAuthorityArn"):
            yield f"{label} tls has no issuerCertAuthority.awsPcaAuthorityArn"
        if not is_set(block, "roleArn"):
            yield f"{label} tls has no roleArn (the ECS infrastructure role that issues certificates)"


@resource_policy(
    "ecs-service-connect-tls-kms-key", SERVICE,
    description="Service Connect TLS must protect its private keys with a customer-managed KMS key.",
    severity=Severity.MEDIUM,
)
def tls_kms_key(args: ResourceValidationArgs) -> Iterator[str]:
    """with Service Connect TLS: `tls.kmsKey` is set and is not an AWS-managed key (`alias/aws/...`)"""
    for label, entry in sc_services(enabled_config(args)):
        block = dig(entry, "tls")
        if not is_map(block):
            continue  # ecs-service-connect-tls reports it
        key = peek(block, "kmsKey")
        if not is_set(block, "kmsKey"):
            yield f"{label} tls has no kmsKey; ECS would encrypt the certificate keys with an AWS-owned key"
        elif aws_managed_key(key):
            yield f"{label} tls.kmsKey {key} is AWS-managed; use a customer-managed key"


@resource_policy(
    "ecs-service-connect-logging", SERVICE,
    description="Service Connect proxies must send their logs somewhere (logConfiguration).",
    severity=Severity.MEDIUM,
    anchor_note="Security Hub ECS.9 checks task definitions only, not the Service Connect proxy",
)
def logging(args: ResourceValidationArgs) -> Iterator[str]:
    """with Service Connect enabled: `logConfiguration.logDriver` is set"""
    if not has_text(dig(enabled_config(args), "logConfiguration", "logDriver")):
        yield f"{SC}.logConfiguration.logDriver is not set; the proxy's logs (and access logs) would be lost"


@resource_policy(
    "ecs-service-connect-access-logs", SERVICE,
    description="Service Connect proxies must write access logs, without query parameters unless allowed.",
    severity=Severity.MEDIUM,
    config={"allowQueryParameters": {"type": "boolean", "default": False,
                                      "description": "Whether access logs may include query strings."}},
)
def access_logs(args: ResourceValidationArgs) -> Iterator[str]:
    """with Service Connect enabled: `accessLogConfiguration` is set and `includeQueryParameters` is not ENABLED
    (knob `allowQueryParameters`)"""
    block = enabled_config(args)
    access = dig(block, "accessLogConfiguration")
    if not is_map(access):
        yield f"{SC}.accessLogConfiguration is not set; requests through the proxy leave no access log"
    elif dig(access, "includeQueryParameters") == "ENABLED" and not config_value(args, "allowQueryParameters"):
        yield (f"{SC}.accessLogConfiguration.includeQueryParameters is ENABLED; query strings (tokens, personal "
               "data) would be logged")


@resource_policy(
    "ecs-service-connect-access-log-json", SERVICE,
    description="Service Connect access logs should be JSON, so they can be queried.",
    severity=Severity.LOW, level=ADVISORY,
)
def access_log_json(args: ResourceValidationArgs) -> Iterator[str]:
    """with access logs on: `accessLogConfiguration.format` is JSON (TEXT is advisory)"""
    access = dig(enabled_config(args), "accessLogConfiguration")
    if not is_map(access):
        args.not_applicable("no access logs (ecs-service-connect-access-logs reports it)")
    if access.get("format") != "JSON":
        yield f"{SC}.accessLogConfiguration.format is {access.get('format') or 'unset'}; use JSON"


@resource_policy(
    "ecs-service-connect-client-alias", SERVICE,
    description="Every Service Connect endpoint must have a client alias with a port.",
    severity=Severity.MEDIUM,
)
def client_alias(args: ResourceValidationArgs) -> Iterator[str]:
    """with Service Connect enabled: each `services[]` entry has a `clientAlias` with a `port`"""
    for label, entry in sc_services(enabled_config(args)):
        aliases = as_list(dig(entry, "clientAlias"))
        if not aliases:
            yield f"{label} has no clientAlias, so clients have no name and port to call it by"
        elif not any(is_set(a, "port") for a in aliases):
            yield f"{label} clientAlias has no port"


# --- stack policies: the namespace and the task definition the service runs ----------------------------------------


def _cluster_default_namespace(service: Any, resources: list) -> Any:
    """The namespace the service's cluster gives it by default: a value, None (none) or UNKNOWN (can't tell). ECS
    looks a cluster's name up in the service's region."""
    clusters, _ = referenced(service, "cluster", [peek(service.props, "cluster")], of_type(resources, CLUSTER),
                             regional=True)
    if not clusters:  # a cluster outside the stack (without `cluster`, the account's `default`): can't tell
        return UNKNOWN
    return peek(clusters[0].props, "serviceConnectDefaults", "namespace")


@stack_policy(
    "ecs-service-connect-namespace", SERVICE,
    description="Service Connect services must be in a namespace: their own, or their cluster's default.",
    severity=Severity.HIGH,
)
def namespace(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """with Service Connect enabled: `namespace` is set (or the cluster's `serviceConnectDefaults.namespace`), of any
    type, a public DNS namespace too (botocore's ServiceConnectConfiguration: "The type of namespace doesn't affect
    Service Connect"; the ECS guide: Service Connect "doesn't use or create DNS hosted zones in Amazon Route 53", so
    it publishes nothing in a public one)"""
    for service in of_type(args.resources, SERVICE):
        if is_enabled(service) and peek(service.props, SC, "namespace") is None \
                and _cluster_default_namespace(service, args.resources) is None:
            yield f"{SC} sets no namespace and the service's cluster has no serviceConnectDefaults.namespace", \
                service.urn


def port_mappings(task: Any) -> dict[str, tuple[str, Any]]:
    """{portMappings[].name: (container label, mapping)} of a task definition (raises on unknown JSON)."""
    found = {}
    for c in containers(task.props):
        for mapping in as_list(c.get("portMappings")):
            if is_map(mapping) and has_text(mapping.get("name")):
                found[mapping["name"]] = (c.label, mapping)
    return found


def _port_problems(service: Any, task: Any) -> list[str]:
    # Only the name is required: a mapping without appProtocol is TCP, which Service Connect serves (botocore ECS
    # PortMapping.appProtocol: "If you don't set a value for this parameter, then TCP is used").
    mappings = port_mappings(task)
    problems = []
    for label, entry in sc_services(prop(service, SC)):
        port = dig(entry, "portName")
        if port not in mappings:
            known = ", ".join(sorted(mappings)) or "none"
            problems.append(f"{label}: task definition {task.name} has no port mapping named {port!r} "
                            f"(named: {known})")
    return problems


def _linked_tasks(args: StackValidationArgs) -> Iterator[tuple[Any, Any]]:
    for service in of_type(args.resources, SERVICE):
        if is_enabled(service):
            task = task_definition_run_by(service, args.resources)
            if task is not None:
                yield service, task


@stack_policy(
    "ecs-service-connect-port-mapping", SERVICE,
    description="Each Service Connect port must be a named port mapping in the service's task definition.",
    severity=Severity.HIGH,
)
def port_mapping(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """each `services[].portName` names a `portMappings[].name` in the service's task definition"""
    for service, task in _linked_tasks(args):
        for problem in unless_unknown(_port_problems, service, task) or []:
            yield problem, service.urn


def _protocols(service: Any, resources: list) -> dict[str, str]:
    """{port name: "http" or "tcp"} for the named port mappings of the service's task definition; {} when it
    cannot tell (no task definition in the stack, or its containers unknown)."""
    task = task_definition_run_by(service, resources)
    mappings = unless_unknown(port_mappings, task) if task is not None else None
    return {name: ("http" if str(mapping.get("appProtocol") or "").lower() in HTTP_PROTOCOLS else "tcp")
            for name, (_, mapping) in (mappings or {}).items()}


def _streams(service: Any, patterns: list[str]) -> Optional[bool]:
    """Whether `streamingServices` names the service by its `name`; None when that is unknown and the knob names
    some service (whether it is exempt is then not known until the update)."""
    if not patterns:
        return False
    name = peek(service.props, "name")
    if name is UNKNOWN:
        return None
    return isinstance(name, str) and named_by([name], patterns)


def _timeout_problems(service: Any, resources: list, per_request_bound: Any, idle_bound: Any,
                      streams: Optional[bool]) -> list[str]:
    protocols = _protocols(service, resources)
    problems = []
    for label, entry in sc_services(prop(service, SC)):
        block = dig(entry, "timeout")
        values = {key: block.get(key) for key in TIMEOUTS if block.get(key) is not None} if is_map(block) else {}
        protocol = protocols.get(dig(entry, "portName"))
        if protocol is None:  # the task definition is unknown or elsewhere: what is wrong depends on the protocol
            continue
        if protocol == "tcp":
            # ECS takes only idleTimeoutSeconds on a TCP port, and the provider sends perRequestTimeoutSeconds (0)
            # with any timeout block (pulumi-aws#4265, terraform-provider-aws#38432): no block deploys but none.
            if values:
                problems.append(f"{label} sets a timeout on a TCP port (no appProtocol): ECS refuses "
                                f"perRequestTimeoutSeconds there, and pulumi-aws sends it (0) with any timeout block "
                                f"(pulumi-aws#4265); leave timeout out (ECS's TCP idle timeout is an hour)")
            continue
        for key, bound in zip(TIMEOUTS, (per_request_bound, idle_bound)):
            if key not in values and not values:  # no timeout block: ECS applies its default
                default = ECS_DEFAULT_TIMEOUTS[key]
                if default > bound:
                    problems.append(f"{label} sets no {key}: ECS's default is {num(default)}s; at most {num(bound)}s")
                continue
            if key not in values:
                # The block sets only the other key: the provider reads an unset key of the block as 0 and sends it
                # (terraform-provider-aws expandTimeout; pulumi-aws#4265 shows the 0 on a TCP port), so ECS gets 0.
                if key == "idleTimeoutSeconds" or streams is False:
                    problems.append(f"{label} timeout sets no {key}, so pulumi-aws sends 0 for it (pulumi-aws#4265), "
                                    f"which disables the timeout; set it (ECS's own default is "
                                    f"{num(ECS_DEFAULT_TIMEOUTS[key])}s), or leave timeout out")
                continue
            value = number(values[key])
            if value is None:
                problems.append(f"{label} timeout.{key} is {values[key]!r}, not a number of seconds")
            elif value == 0 and key == "perRequestTimeoutSeconds":
                if streams is False:  # a streaming service may; an unknown name may be one
                    problems.append(f"{label} timeout.{key} is 0, which disables the timeout; only a service that "
                                    "streams (server-streaming gRPC, server-sent events) needs that: name it in "
                                    "streamingServices")
            elif value == 0:
                problems.append(f"{label} timeout.{key} is 0, which disables the timeout")
            elif value > bound:
                problems.append(f"{label} timeout.{key} is {num(value)}s; at most {num(bound)}s")
    return problems


@stack_policy(
    "ecs-service-connect-timeout", SERVICE,
    description="Every Service Connect endpoint on an HTTP, HTTP/2 or gRPC port must keep its timeouts, as set or "
                "as ECS's defaults, within the configured bounds; one on a TCP port must set none.",
    severity=Severity.MEDIUM,
    config={
        "maxPerRequestTimeoutSeconds": {"type": "integer", "minimum": 1, "default": DEFAULT_MAX_PER_REQUEST_TIMEOUT,
                                        "description": "Longest acceptable perRequestTimeoutSeconds."},
        "maxIdleTimeoutSeconds": {"type": "integer", "minimum": 1, "default": DEFAULT_MAX_IDLE_TIMEOUT,
                                  "description": "Longest acceptable idleTimeoutSeconds."},
        "streamingServices": string_list(
            "ECS services (their name; shell-style wildcards) whose endpoints stream (server-streaming gRPC, "
            "server-sent events) and may set perRequestTimeoutSeconds 0, which disables the per-request timeout."),
    },
)
def timeout(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """with Service Connect enabled: each `services[]` entry on an HTTP, HTTP/2 or gRPC port mapping (`appProtocol`
    in the task definition) keeps `timeout.perRequestTimeoutSeconds` ≤ 29 and `timeout.idleTimeoutSeconds` ≤ 300,
    never 0 (which disables the timeout), but for a per-request 0 on a service whose `name` `streamingServices`
    names (a server-streaming gRPC or server-sent events endpoint needs one); a timeout it does not set is judged as
    the default ECS applies: idle 300 s (ECS API reference, TimeoutConfiguration) and per request 15 s (Envoy's route
    timeout default, which the Service Connect proxy keeps; the ECS API reference does not state it), so within the
    default bounds `timeout` may be left out, but a key a `timeout` block leaves out is judged as 0, which pulumi-aws
    sends for it (pulumi-aws#4265); one on a TCP port (no `appProtocol`) has no `timeout`, which ECS or the
    provider refuses there (knobs `maxPerRequestTimeoutSeconds`, `maxIdleTimeoutSeconds`, `streamingServices`)"""
    per_request = config_value(args, "maxPerRequestTimeoutSeconds")
    idle = config_value(args, "maxIdleTimeoutSeconds")
    streaming = config_list(args, "streamingServices")
    for service in of_type(args.resources, SERVICE):
        if is_enabled(service):
            streams = _streams(service, streaming)
            for problem in unless_unknown(_timeout_problems, service, args.resources, per_request, idle,
                                          streams) or []:
                yield problem, service.urn


def _mesh_leftovers(task: Any) -> list[str]:
    problems = []
    proxy = prop(task, "proxyConfiguration")
    if is_map(proxy) and (proxy.get("type") or "APPMESH") == "APPMESH":
        problems.append(f"task definition {task.name} has an APPMESH proxyConfiguration; a Service Connect service "
                        "cannot also be in App Mesh")
    for c in containers(task.props):
        if is_envoy_image(c.get("image")):
            problems.append(f"task definition {task.name} runs the App Mesh Envoy image in {c.label}")
    return problems


@stack_policy(
    "ecs-service-connect-no-appmesh-proxy", SERVICE,
    description="Service Connect services must not run an App Mesh proxy configuration or Envoy sidecar.",
    severity=Severity.HIGH,
)
def no_appmesh_proxy(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """the task definition of a Service Connect service has no APPMESH `proxyConfiguration` and no App Mesh Envoy
    container"""
    for service, task in _linked_tasks(args):
        for problem in unless_unknown(_mesh_leftovers, task) or []:
            yield problem, service.urn
