"""The ECS Service Connect data plane (the default): AWS's successor to App Mesh for ECS.

    ServiceConnectTls     AWS Private CA (short-lived, tagged AmazonECSManaged=true), the ECS infrastructure
                          role for Service Connect TLS, a KMS key for the TLS material
    HttpNamespace         one Cloud Map namespace per environment; the cluster's default
    service security groups, one per service, and the call graph as rules between them
    ConnectedService      one ECS service per service: a named port with its appProtocol, one Service
                          Connect service (discovery name, client alias `<service>.<env>.<domain>:<port>`,
                          TLS, timeouts), proxy and access logs, a CANARY deployment for a second version

What Service Connect does not do, and what stands in for it:
- TLS authenticates the server only (no client certificates): who may call whom is the security groups'
  job. A service admits its port only from its declared callers' groups (and the ingress ALB's).
- No standing weighted split: a second version is a canary *deployment* (ECS shifts `weight` % of the
  traffic to the new tasks, bakes, then moves the rest; deployment alarms roll it back), and its header
  match becomes the client alias's test traffic rule.
- Retries (2) and outlier detection are fixed by AWS; config that sets them is refused (components/config).
- Tasks resolve only the endpoints that existed when they started, so callees are deployed first; a caller a call
  cycle declares before its callee is deployed again once the callee exists (LateCallerRestarts).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .. import envoy, naming
from ..api import AlbBackend
from ..http_api import HttpBackend
from ..compute import (DEPLOYMENT_MAXIMUM_PERCENT, XRAY_WRITE_ACTIONS, AppContainer, Compute, LoadBalancerTarget,
                       FargateContext, PortRule, WorkloadLogs, WorkloadSpec, deploy_workload, port_rules)
from ..config import PLANES, SERVICE_CONNECT, PlatformConfig, ServiceConfig, ServiceTimeouts, ServiceVersion
from ..dns import certificate_arn
from ..ingress import AlbIngress, AlbIngressArgs, alb_rule_counts, ingress_routes, target_group_count
from ..network import ANYWHERE
from ..iam import assume_role_policy, deny, key_policy, statement
from ..kms import customer_key
from ..observability import ServiceConnectSignals, WatchedWorkload
from ..workload import ServiceSettings
from . import (DataPlane, DataPlaneArgs, InstanceTally, PolicySize, QuotaUse, RuleTally, config_task_definition,
               counted, counted_whose, workload_roles)
from .restarts import LateCaller, LateCallerRestarts, RestartsArgs, restart_role_chars

# The AWS managed policy ECS needs to issue and rotate Service Connect certificates from a Private CA.
TLS_ROLE_POLICY = ("arn:aws:iam::aws:policy/service-role/"
                   "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity")
# Without this tag on the CA, ECS refuses to issue from it.
ECS_MANAGED_TAG = {"AmazonECSManaged": "true"}
# The Service Connect proxy runs in every task; ECS asks for about this much memory headroom (MiB).
PROXY_MEMORY_HEADROOM = 64
# The ECS service trigger that redeploys a caller when its callees, or their endpoints, change.
CALLEES_TRIGGER = "callees"
# A task joins its service's group and the egress layer's AWS API clients group (compute.deploy_workload).
TASK_SECURITY_GROUPS = 2
# A service's container log groups (the Service Connect proxy's among them): the plane's traits say them, for config.
LOG_KINDS = PLANES[SERVICE_CONNECT].log_kinds
PROXY_LOGS = LOG_KINDS[-1]  # the Service Connect proxy's, ECS's own container
ROOT_CA_TEMPLATE = "arn:aws:acm-pca:::template/RootCACertificate/V1"


# --------------------------------------------------------------------------------------------------
# TLS: the Private CA, the role ECS uses with it, and the key for the TLS material
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceConnectTlsArgs:
    environment: str
    region: str
    # Bring a CA (it must carry the AmazonECSManaged=true tag); None: one per environment is created.
    private_ca_arn: Optional[str]
    protect: bool


class ServiceConnectTls(pulumi.ComponentResource):
    """What every service's `tls` block names: the CA, the infrastructure role and the KMS key.

    They must outlive the services (ECS needs them to delete a service's certificates), so services depend
    on `ready` and Pulumi deletes them only after the services."""

    ca_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    ready: Sequence[pulumi.Resource]

    def __init__(self, name: str, args: ServiceConnectTlsArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:serviceconnect:ServiceConnectTls", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        kept = pulumi.ResourceOptions(parent=self, protect=args.protect)
        env = args.environment
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        ready: list[pulumi.Resource] = []
        if args.private_ca_arn is not None:
            self.ca_arn = pulumi.Output.from_input(args.private_ca_arn)
        else:
            ca = aws.acmpca.CertificateAuthority(
                f"{name}-ca", type="ROOT",
                # Certificates valid at most 7 days, which ECS rotates every 5: $50 a month instead of $400.
                usage_mode="SHORT_LIVED_CERTIFICATE",
                certificate_authority_configuration=aws.acmpca.CertificateAuthorityCertificateAuthorityConfigurationArgs(
                    key_algorithm="RSA_2048", signing_algorithm="SHA256WITHRSA",
                    subject=aws.acmpca.CertificateAuthorityCertificateAuthorityConfigurationSubjectArgs(
                        common_name=f"{env} service connect", organization="service-mesh-platform")),
                permanent_deletion_time_in_days=7,
                tags=ECS_MANAGED_TAG, opts=kept)
            # A root CA is usable once it holds its own self-signed certificate.
            certificate = aws.acmpca.Certificate(
                f"{name}-ca", certificate_authority_arn=ca.arn,
                certificate_signing_request=ca.certificate_signing_request,
                signing_algorithm="SHA256WITHRSA", template_arn=ROOT_CA_TEMPLATE,
                validity=aws.acmpca.CertificateValidityArgs(type="YEARS", value="10"), opts=child)
            ready.append(aws.acmpca.CertificateAuthorityCertificate(
                f"{name}-ca", certificate_authority_arn=ca.arn, certificate=certificate.certificate,
                certificate_chain=certificate.certificate_chain, opts=child))
            self.ca_arn = ca.arn

        role = aws.iam.Role(
            f"{name}-infrastructure", assume_role_policy=assume_role_policy("ecs.amazonaws.com"),
            description=f"{env}: ECS issues and rotates Service Connect TLS certificates", opts=kept)
        ready.append(aws.iam.RolePolicyAttachment(f"{name}-infrastructure", role=role.name,
                                                  policy_arn=TLS_ROLE_POLICY, opts=child))
        key = customer_key(f"{name}-key", kept, environment=env, purpose="service-connect-tls",
                           description=f"{env}: Service Connect TLS material",
                           policy=tls_key_policy(account_id, role.arn),
                           key_usage="ENCRYPT_DECRYPT", customer_master_key_spec="SYMMETRIC_DEFAULT")

        self.role_arn = role.arn
        self.kms_key_arn = key.arn
        self.ready = ready
        self.register_outputs({"caArn": self.ca_arn, "roleArn": self.role_arn, "kmsKeyArn": self.kms_key_arn})


def tls_key_policy(account_id: pulumi.Input[str], role_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """The account administers the key; exactly the Service Connect TLS role may use it."""
    return key_policy(account_id, [
        {"Sid": "ServiceConnectTlsRole", "Effect": "Allow", "Principal": {"AWS": role_arn},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyPair"],
         "Resource": "*"},
    ])


# --------------------------------------------------------------------------------------------------
# Who may call whom: one security group per service, the call graph as rules between them
# --------------------------------------------------------------------------------------------------


def call_graph_rules(config: PlatformConfig, groups: Mapping[str, pulumi.Input[str]],
                     ingress_group_id: Optional[pulumi.Input[str]]) -> dict[str, tuple[list[PortRule], list[PortRule]]]:
    """Each service's (ingress, egress) rules: its port from exactly its callers (and the ingress load
    balancer when public), its callees' ports to exactly their groups, and the internet only on the ports
    of the externals it declares (AWS APIs go through the egress layer's group every task joins)."""
    callers: dict[str, list[str]] = {s.name: [] for s in config.services}
    for service in config.services:
        for callee in service.calls:
            callers[callee].append(service.name)
    rules: dict[str, tuple[list[PortRule], list[PortRule]]] = {}
    for service in config.services:
        ingress = [PortRule(f"{caller} calls {service.name}", service.port, security_group_id=groups[caller],
                            peer=caller) for caller in callers[service.name]]
        if service.public_path and ingress_group_id is not None:
            ingress.append(PortRule(f"the ingress load balancer to {service.name}", service.port,
                                    security_group_id=ingress_group_id, peer=naming.INGRESS_PEER))
        egress = [PortRule(f"{service.name} calls {callee}", config.service(callee).port,
                           security_group_id=groups[callee], peer=callee) for callee in service.calls]
        egress += [PortRule(f"declared externals on {port} (NAT, DNS and network firewalls)", port, cidr=ANYWHERE,
                            peer=naming.INTERNET_PEER) for port in config.internet_ports(service)]
        rules[service.name] = (ingress, egress)
    return rules


def _app(service: ServiceConfig) -> AppContainer:
    """A service's app container: a second version is a canary deployment, whose task runs its image (see the module
    docstring)."""
    return AppContainer.of(service, image=(service.canary_version or service.primary_version).image, port=service.port)


def task_definitions(config: PlatformConfig, service: ServiceConfig) -> list[dict]:
    """The service's one task definition, from config alone (config sizes it against ECS's limit): none of its
    sidecars names an ARN, so only its roles' random suffixes stand in. The wiring's other fields are the service's
    own Service Connect settings, which no container reads."""
    wiring = ServiceConnectWiring(service=service, namespace_arn=None, endpoint=endpoint(config, service), tls=None,
                                  proxy_log_group=None, region=config.region, deployment_alarms=None,
                                  canary_bake_minutes=0, bake_minutes=0)
    family = naming.service_connect_family(config.environment, service.name)
    return [config_task_definition(config, service, wiring, _app(service), workload=family, family=family)]


def quota_use(config: PlatformConfig) -> QuotaUse:
    """The rules `call_graph_rules` and the ingress put on each group, and the ALB's target groups, counted from
    the very functions that make them (group ids do not change how many there are, so names stand in); each
    service's tasks in its Cloud Map service, and the roles."""
    names = {s.name: s.name for s in config.services}
    graph = call_graph_rules(config, names, naming.INGRESS_PEER if config.public_services else None)
    rules: list[RuleTally] = []
    for i, service in enumerate(config.services):
        inbound, outbound = graph[service.name]
        group = f"{service.name}'s security group"
        rules.append(RuleTally(f"services[{i}]", group, "inbound", len(inbound),
                               _made_of(inbound, "caller", naming.INGRESS_PEER, lambda _: "the ingress ALB")))
        rules.append(RuleTally(f"services[{i}].calls", group, "outbound", len(outbound),
                               _made_of(outbound, "callee", naming.INTERNET_PEER,
                                        lambda n: counted(n, "internet port"))))
    # ECS registers every task of a service's one ECS service as an instance in the Cloud Map service Service
    # Connect creates for it (the ECS guide's Service Connect overview: Service Connect registers the instances).
    instances = tuple(InstanceTally(service, ecs_services=1) for service in config.services)
    # Each service's workload roles, and ServiceConnectTls's infrastructure role.
    roles = (workload_roles([naming.service_connect_family(config.environment, s.name) for s in config.services]) + 1,
             f"{counted_whose(len(config.services), 'service')} task and execution roles + the Service Connect TLS "
             "role")
    restart = _restart_policy(config)
    routes = ingress_routes(config, names)
    if not routes:
        return QuotaUse(TASK_SECURITY_GROUPS, tuple(rules), cloud_map_instances=instances, iam_roles=roles,
                        inline_policies=restart)
    inbound, outbound = alb_rule_counts(routes)
    alb = "the ingress ALB's security group"
    public = counted(len(routes), "public service")
    rules += [RuleTally("services", alb, "inbound", inbound, "the VPC link"),
              RuleTally("services", alb, "outbound", outbound, public)]
    canaries = sum(route.canary for route in routes)
    # Every task of a public service is a target (a canary's too, in its own group), and a deployment runs the
    # old and new revisions' tasks together.
    targets = sum(s.sizing.autoscaling.max_capacity * DEPLOYMENT_MAXIMUM_PERCENT // 100 for s in config.public_services)
    return QuotaUse(TASK_SECURITY_GROUPS, tuple(rules), alb_target_groups=(
        target_group_count(routes), public + (f" + {counted(canaries, 'canary version')}" if canaries else "")),
        alb_targets=(targets, public), cloud_map_instances=instances, iam_roles=roles, inline_policies=restart)


def _restart_policy(config: PlatformConfig) -> tuple[PolicySize, ...]:
    """The restart function's role names each late caller's ECS service (restarts.restart_role_chars)."""
    late = late_callees(config)
    if not late:
        return ()
    chars = restart_role_chars(config.environment, config.region, naming.ANY_ACCOUNT, list(late))
    callers = counted(len(late), "service")
    return (PolicySize("services", "the late-caller restart function's role", chars,
                       f"{callers} calling one declared after {'it' if len(late) == 1 else 'them'} (a call cycle)"),)


def _made_of(rules: Sequence[PortRule], noun: str, other_peer: str, others: Callable[[int], str]) -> str:
    """What a group's rules are for: its peer services, plus the rules to `other_peer` ("74 callers + the ingress
    ALB", "3 callees + 2 internet ports")."""
    extra = sum(rule.peer == other_peer for rule in rules)
    return counted(len(rules) - extra, noun) + (f" + {others(extra)}" if extra else "")


def deployment_order(config: PlatformConfig) -> list[ServiceConfig]:
    """Services with callees first (a depth-first post-order of the call graph, in config order)."""
    order: list[ServiceConfig] = []
    seen: set[str] = set()

    def visit(service: ServiceConfig) -> None:
        if service.name in seen:
            return
        seen.add(service.name)
        for callee in service.calls:
            visit(config.service(callee))
        order.append(service)

    for service in config.services:
        visit(service)
    return order


def late_callees(config: PlatformConfig) -> dict[str, tuple[str, ...]]:
    """Each service whose callees include one `deployment_order` declares after it (a call cycle is broken
    there), with those callees: its first tasks start before their endpoints exist (components/dataplane/restarts)."""
    declared: set[str] = set()
    late: dict[str, tuple[str, ...]] = {}
    for service in deployment_order(config):
        if waiting := tuple(c for c in service.calls if c not in declared):
            late[service.name] = waiting
        declared.add(service.name)
    return late


# --------------------------------------------------------------------------------------------------
# One service
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """A service's Service Connect endpoint as its callers' proxies learn it when their tasks start, and keep until
    they are replaced (AWS's Service Connect concepts): the Cloud Map service, the client alias (the name ECS writes
    into their hosts files, and the port) and the protocol the proxies speak."""

    discovery_name: str
    dns_name: str
    port: int
    protocol: str

    def __str__(self) -> str:
        return f"{self.discovery_name}={self.dns_name}:{self.port}/{self.protocol}"


def endpoints_trigger(endpoints: Sequence[Endpoint]) -> str:
    """Endpoints as one trigger value, in a fixed order: a caller's `callees`, and its late callees' invocation."""
    return ",".join(sorted(map(str, endpoints)))


def endpoint(config: PlatformConfig, service: ServiceConfig) -> Endpoint:
    """The one place a service's endpoint is derived: its own Service Connect block and its callers' triggers."""
    return Endpoint(discovery_name=naming.service_connect_discovery_name(config.environment, service.name),
                    dns_name=config.virtual_service_name(service.name),
                    port=service.port, protocol=service.protocol)


@dataclass(frozen=True)
class DeploymentAlarms:
    """The alarms whose firing rolls a service's deployment back, by name: Observability creates them after the
    service, and ECS accepts names of alarms that do not exist yet, reading them only on UpdateService (AWS
    Copilot creates its rollback alarms the same way)."""

    names: Sequence[str]
    enabled: bool

    @classmethod
    def of(cls, environment: str, service: ServiceConfig, called: bool) -> "DeploymentAlarms":
        # Its callers' view (Service Connect's metric), and a public service's load balancer's clients'.
        names = [naming.alarm_name(environment, naming.five_xx_rate_key(label)) for label in (
            *([service.name] if called else []), *([naming.alb_label(service.name)] if service.public_path else []))]
        if names:
            return cls(names=names, enabled=True)
        # A service nobody calls and no load balancer serves has none. Said off, not left out: the provider keeps a
        # removed block (it suppresses the diff), and with it alarms a service that no longer has them. The block
        # needs a name (the provider's alarm_names is required): an alarm of the service's own. The circuit breaker
        # still rolls back tasks that fail to start.
        return cls(names=[naming.alarm_name(environment, naming.tasks_below_desired_key(service.name))],
                   enabled=False)


@dataclass(frozen=True)
class ServiceConnectWiring:
    """A Service Connect workload: a named port, the X-Ray daemon, its Service Connect block."""

    service: ServiceConfig
    namespace_arn: pulumi.Output[str]
    # What this service offers its callers.
    endpoint: Endpoint
    tls: ServiceConnectTls
    proxy_log_group: pulumi.Output[str]
    region: str
    deployment_alarms: DeploymentAlarms
    canary_bake_minutes: int
    bake_minutes: int
    # ECS services this one must start after (its callees).
    after: Sequence[pulumi.Resource] = field(default_factory=tuple)
    # The endpoints of the services it calls, as its proxy learns them: a redeploy trigger.
    callees: Sequence[Endpoint] = ()

    reserved_memory: int = (PROXY_MEMORY_HEADROOM + envoy.SIDECAR_MEMORY[envoy.XRAY_DAEMON][1]
                            + envoy.SIDECAR_MEMORY[envoy.VOLUME_INIT][1])
    load_balancer_container: str = envoy.APP
    security_group_ids: Sequence[pulumi.Input[str]] = ()
    task_role_purpose: str = "traces; never the Service Connect TLS secrets"

    @property
    def stream_prefix(self) -> str:
        return self.service.name

    @property
    def port_name(self) -> str:
        return self.service.name

    def app_port_mapping(self, port: int) -> dict:
        # The Service Connect service names this mapping; appProtocol gives HTTP metrics and timeouts.
        return {"name": self.port_name, "containerPort": port, "protocol": "tcp",
                "appProtocol": self.endpoint.protocol}

    def app_depends_on(self) -> list[dict]:
        return [{"containerName": envoy.VOLUME_INIT, "condition": "SUCCESS"}]

    def sidecar_inputs(self) -> pulumi.Input[Any]:
        return None

    def sidecars(self, resolved: Any, log_groups: Mapping[str, str], app_scratch: Sequence[Any]) -> list[dict]:
        def log(kind: str) -> envoy.LogTarget:
            return envoy.LogTarget(log_groups[kind], self.region, self.stream_prefix)

        # The X-Ray daemon stays for apps that trace with the SDK (the proxy itself cannot trace).
        return [envoy.volume_init_container(logs=log(envoy.VOLUME_INIT), scratch=app_scratch),
                envoy.xray_daemon_container(logs=log(envoy.XRAY_DAEMON))]

    def volume_names(self, app_scratch: Sequence[Any]) -> list[str]:
        return [v.name for v in app_scratch]

    def proxy_configuration(self, app_port: Optional[int]) -> None:
        return None  # ECS adds and configures the Service Connect proxy itself

    def task_role_statements(self) -> list[dict]:
        return [
            statement(XRAY_WRITE_ACTIONS, ["*"], sid="XRayWrite"),
            deny(["secretsmanager:GetSecretValue"],
                 [f"arn:aws:secretsmanager:*:*:secret:{naming.SC_TLS_SECRET_PREFIX}*"], sid="NeverServiceConnectTlsKeys"),
        ]

    def injected_secret_arns(self) -> list[pulumi.Input[str]]:
        return []

    def service_settings(self) -> ServiceSettings:
        service, canary = self.service, self.service.canary_version
        connect = aws.ecs.ServiceServiceConnectConfigurationArgs(
            enabled=True,
            namespace=self.namespace_arn,
            services=[_connect_service(self.endpoint, self.port_name, service.timeouts, self.tls, canary)],
            log_configuration=aws.ecs.ServiceServiceConnectConfigurationLogConfigurationArgs(
                log_driver="awslogs", options=self.proxy_log_group.apply(lambda group: {
                    "awslogs-group": group, "awslogs-region": self.region,
                    "awslogs-stream-prefix": f"{service.name}-proxy"})),
            # One JSON line per request; query strings can carry tokens, so they stay out.
            access_log_configuration=aws.ecs.ServiceServiceConnectConfigurationAccessLogConfigurationArgs(
                format="JSON", include_query_parameters="DISABLED"),
        )
        arguments: dict[str, Any] = {
            "service_connect_configuration": connect,
            "alarms": aws.ecs.ServiceAlarmsArgs(alarm_names=list(self.deployment_alarms.names),
                                                enable=self.deployment_alarms.enabled,
                                                rollback=self.deployment_alarms.enabled),
            # A task learns the namespace's endpoints when it starts: it cannot reach a callee created after it, nor
            # a callee's new port (AWS's Service Connect deployment guide). A new callee, or a callee's changed
            # endpoint, therefore redeploys the caller, after the callee.
            "force_new_deployment": True,
            "triggers": ({CALLEES_TRIGGER: endpoints_trigger(self.callees)} if self.callees else None),
            **_deployment(canary, self.canary_bake_minutes, self.bake_minutes),
        }
        # ECS: "appProtocol is immutable in a Service Connect service. Updating this field requires a service
        # deletion and redeployment" (PortMapping); it is on the task definition, which updates in place.
        return ServiceSettings(arguments=arguments, depends_on=[*self.tls.ready, *self.after],
                               replacement_trigger=f"appProtocol={self.endpoint.protocol}")


def _connect_service(endpoint: Endpoint, port_name: str, timeouts: ServiceTimeouts, tls: ServiceConnectTls,
                     canary: Optional[ServiceVersion]) -> aws.ecs.ServiceServiceConnectConfigurationServiceArgs:
    """The Service Connect service that offers `endpoint` on the named port: its client alias (with the canary's
    header match as the deployment's test traffic rule), timeouts in whole seconds, and TLS from the plane's CA."""
    test_traffic = None
    if canary is not None and canary.header_match is not None:
        test_traffic = [aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasTestTrafficRuleArgs(
            header=aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasTestTrafficRuleHeaderArgs(
                name=canary.header_match.name,
                value=aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasTestTrafficRuleHeaderValueArgs(
                    exact=canary.header_match.exact)))]
    return aws.ecs.ServiceServiceConnectConfigurationServiceArgs(
        port_name=port_name,
        discovery_name=endpoint.discovery_name,
        client_alias=[aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs(
            dns_name=endpoint.dns_name, port=endpoint.port, test_traffic_rules=test_traffic)],
        timeout=aws.ecs.ServiceServiceConnectConfigurationServiceTimeoutArgs(
            idle_timeout_seconds=timeouts.idle_ms // 1000,
            per_request_timeout_seconds=timeouts.per_request_ms // 1000),
        tls=aws.ecs.ServiceServiceConnectConfigurationServiceTlsArgs(
            issuer_cert_authority=aws.ecs.ServiceServiceConnectConfigurationServiceTlsIssuerCertAuthorityArgs(
                aws_pca_authority_arn=tls.ca_arn),
            role_arn=tls.role_arn, kms_key=tls.kms_key_arn),
    )


def _deployment(canary: Optional[ServiceVersion], canary_bake_minutes: int, bake_minutes: int) -> dict[str, Any]:
    """The ECS service's deployment arguments: a rolling update with the circuit breaker, or for a canary version
    a CANARY deployment that bakes it, then the rest."""
    # The circuit breaker is for rolling updates (ECS's deployment failure detection). Said off for a canary,
    # not left out: the provider ignores a removed block (SuppressMissingOptionalConfigurationBlock), so a
    # service whose second version is added would keep its rolling breaker on.
    rolling = canary is None
    arguments: dict[str, Any] = {
        "deployment_circuit_breaker": aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=rolling, rollback=rolling)}
    if rolling:
        # Said, not left to the default: the provider keeps an omitted deploymentConfiguration as it was
        # (optional and computed), so a service whose canary version is removed would stay CANARY.
        arguments["deployment_configuration"] = aws.ecs.ServiceDeploymentConfigurationArgs(strategy="ROLLING")
    else:
        # The canary version's image is what the task runs; ECS sends `weight` % of the traffic to
        # the new tasks, bakes, then shifts the rest (alarms roll it back).
        arguments["deployment_configuration"] = aws.ecs.ServiceDeploymentConfigurationArgs(
            strategy="CANARY",
            canary_configuration=aws.ecs.ServiceDeploymentConfigurationCanaryConfigurationArgs(
                canary_percent=float(canary.weight), canary_bake_time_in_minutes=str(canary_bake_minutes)),
            bake_time_in_minutes=str(bake_minutes))
    return arguments


@dataclass(frozen=True)
class ConnectedServiceArgs:
    context: FargateContext
    wiring: ServiceConnectWiring
    security_group: aws.ec2.SecurityGroup
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    load_balancer: Optional[LoadBalancerTarget] = None


class ConnectedService(pulumi.ComponentResource):
    """One service as one ECS service in the Service Connect namespace."""

    service_name: pulumi.Output[str]
    task_definition_arn: pulumi.Output[str]

    def __init__(self, name: str, args: ConnectedServiceArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:serviceconnect:ConnectedService", name, None, opts)
        service = args.wiring.service
        family = naming.service_connect_family(args.context.environment, service.name)
        self.deployed = deploy_workload(self, WorkloadSpec(
            name=name, family=family, wiring=args.wiring, sizing=service.sizing, log_groups=args.log_groups,
            app=_app(service),
            security_group=args.security_group, load_balancer=args.load_balancer,
        ), args.context)
        self.service_name = self.deployed.service.name
        self.task_definition_arn = self.deployed.task_definition.arn
        self.register_outputs({"serviceName": self.service_name, "taskDefinitionArn": self.task_definition_arn})


# --------------------------------------------------------------------------------------------------
# The plane
# --------------------------------------------------------------------------------------------------


def build_service_connect(owner: pulumi.Resource, name: str, args: DataPlaneArgs) -> DataPlane:
    """Every Service Connect layer of one environment, in dependency order."""
    config, network = args.config, args.network
    env = config.environment
    child = pulumi.ResourceOptions(parent=owner)

    namespace = aws.servicediscovery.HttpNamespace(
        f"{name}-namespace", name=naming.service_connect_namespace(env, config.mesh.domain),
        description=f"{env}: Service Connect services", opts=child)
    tls = ServiceConnectTls(f"{name}-service-connect-tls", ServiceConnectTlsArgs(
        environment=env, region=config.region, private_ca_arn=config.mesh.tls.private_ca_arn,
        protect=config.protect), child)
    compute = Compute(f"{name}-compute", args.compute_args(service_connect_namespace_arn=namespace.arn), child)
    context = compute.context
    compute_child = pulumi.ResourceOptions(parent=compute)

    groups = _service_groups(name, config, network.vpc_id, compute_child)
    group_ids = {k: g.id for k, g in groups.items()}
    ingress = _alb_ingress(owner, name, args, group_ids)
    for service, (inbound, outbound) in call_graph_rules(
            config, group_ids, ingress.security_group_id if ingress is not None else None).items():
        port_rules(compute, f"{name}-{service}-sc", groups[service], ingress=inbound, egress=outbound)

    # One ConnectedService per service, callees first, in its group and behind its ALB target (a public one's).
    called = config.called_services
    late = late_callees(config)
    services: dict[str, ConnectedService] = {}
    app_log_groups: dict[str, pulumi.Output[str]] = {}
    for service in deployment_order(config):
        logs = WorkloadLogs(f"{name}-{service.name}-sc-logs", context=context,
                            workload=PLANES[SERVICE_CONNECT].log_workload(service.name),
                            kinds=LOG_KINDS, retention_days=service.sizing.log_retention_days, opts=compute_child)
        app_log_groups[service.name] = logs.groups[envoy.APP].name
        wiring = ServiceConnectWiring(
            service=service, namespace_arn=namespace.arn, endpoint=endpoint(config, service),
            callees=[endpoint(config, config.service(c)) for c in service.calls],
            tls=tls, proxy_log_group=logs.groups[PROXY_LOGS].name, region=config.region,
            deployment_alarms=DeploymentAlarms.of(env, service, called=service.name in called),
            canary_bake_minutes=config.mesh.canary.canary_bake_minutes, bake_minutes=config.mesh.canary.bake_minutes,
            # Callees already declared: a cycle in the call graph is broken at its back edge, whose caller is
            # deployed again once the callee exists (`late`, _late_caller_restarts).
            after=[services[c].deployed.service for c in service.calls if c not in late.get(service.name, ())])
        family = naming.service_connect_family(env, service.name)
        services[service.name] = ConnectedService(family, ConnectedServiceArgs(
            context=context, wiring=wiring, security_group=groups[service.name], log_groups=logs.groups,
            load_balancer=None if ingress is None else ingress.targets.get(service.name)), compute_child)
    restarts = _late_caller_restarts(name, args, context, services, late, compute_child)

    # Callers' proxies report a service's traffic: one nobody calls has none to watch (a public one's load
    # balancer has its own alarms).
    watched = [WatchedWorkload(label=s.name, ecs_service_name=services[s.name].service_name,
                               traffic=ServiceConnectSignals(endpoint(config, s).discovery_name)
                               if s.name in called else None)
               for s in config.services]
    load_balancers = [] if ingress is None else list(ingress.watched.values())
    return DataPlane(
        compute=compute,
        app_log_groups=[app_log_groups[s.name] for s in config.services],
        namespace=namespace.name,
        watched=watched,
        load_balancers=load_balancers,
        api_backend=(AlbBackend(vpc_link_id=ingress.vpc_link_id, load_balancer_arn=ingress.load_balancer_arn,
                                host_name=config.ingress.host_name) if ingress is not None else None),
        http_backend=(HttpBackend(listener_arn=ingress.listener_arn, vpc_link_id=ingress.vpc_link_id,
                                  server_name=config.ingress.host_name) if ingress is not None else None),
        task_role_names={k: [s.deployed.task_role.name] for k, s in services.items()},
        outputs={"serviceConnectNamespace": namespace.name, "serviceConnectCaArn": tls.ca_arn,
                 **({"ingressAlbDnsName": ingress.dns_name} if ingress is not None else {})},
        components={"namespace": namespace, "tls": tls, "security_groups": groups, "services": services,
                    "ingress": ingress, "restarts": restarts},
    )


def _service_groups(name: str, config: PlatformConfig, vpc_id: pulumi.Input[str],
                    opts: pulumi.ResourceOptions) -> dict[str, aws.ec2.SecurityGroup]:
    """Each service's security group, without rules: `call_graph_rules` fills them in once every group exists."""
    env = config.environment
    return {s.name: aws.ec2.SecurityGroup(
        f"{name}-{s.name}-sc", vpc_id=vpc_id,
        description=f"{naming.service_connect_family(env, s.name)}: its port from its callers only",
        tags={"Name": naming.service_connect_family(env, s.name)}, opts=opts) for s in config.services}


def _late_caller_restarts(name: str, args: DataPlaneArgs, context: FargateContext,
                          services: Mapping[str, ConnectedService], late: Mapping[str, Sequence[str]],
                          opts: pulumi.ResourceOptions) -> Optional[LateCallerRestarts]:
    """Each caller declared before a callee (`late`: a call cycle's back edges) is deployed again once it exists."""
    config = args.config
    if not late:
        return None
    callers = {caller: LateCaller(
        service=services[caller].deployed.service,
        callees=[services[c].deployed.service for c in callees],
        endpoints=endpoints_trigger([endpoint(config, config.service(c)) for c in callees]))
        for caller, callees in late.items()}
    return LateCallerRestarts(f"{name}-late-callers", RestartsArgs(
        environment=config.environment, region=config.region, account_id=context.account_id,
        cluster_name=context.cluster_name, log_retention_days=config.sizing.log_retention_days,
        log_key_arn=args.log_key_arn, callers=callers, protect=config.protect), opts)


def _alb_ingress(owner: pulumi.Resource, name: str, args: DataPlaneArgs,
                 groups: Mapping[str, pulumi.Output[str]]) -> Optional[AlbIngress]:
    """The internal ALB the REST API reaches through VPC link V2, when any service is public."""
    config = args.config
    if not config.public_services:
        return None
    ingress = AlbIngress(f"{name}-ingress", AlbIngressArgs(
        environment=config.environment,
        vpc_id=args.network.vpc_id,
        subnet_ids=args.network.private_subnet_ids,
        subnet_zone_ids=args.network.private_subnet_zone_ids,
        routes=ingress_routes(config, groups),
        certificate_arn=certificate_arn("ingress", config.ingress.host_name, config.ingress.certificate_arn,
                                        args.dns),
        stage_name=config.api.stage_name,
        protect=config.protect,
        access_logs=args.audit.access_logs("ingress-alb"),
        cors_allow_origin=config.api.cors.allow_origin if config.api.cors is not None else None,
    ), pulumi.ResourceOptions(parent=owner))
    if args.dns is not None:
        args.dns.alias("ingress", config.ingress.host_name, ingress.dns_name, ingress.zone_id)
    return ingress
