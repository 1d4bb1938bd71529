"""One resource per kind of defect mocks accept and the provider or AWS rejects; `defects: false` fixes each."""
import json

import pulumi
import pulumi_aws as aws

broken = pulumi.Config().require_bool("defects")


def container(health_interval: int) -> dict:
    return {"name": "app", "image": "public.ecr.aws/docker/library/busybox:1.37.0", "essential": True,
            "memory": 256, "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": health_interval,
                                           "timeout": 2, "retries": 3}}


def task(name: str, cpu: str, memory: str, health_interval: int) -> aws.ecs.TaskDefinition:
    return aws.ecs.TaskDefinition(name, family=name, requires_compatibilities=["FARGATE"], network_mode="awsvpc",
                                  cpu=cpu, memory=memory,
                                  container_definitions=json.dumps([container(health_interval)]))


# 33 characters; target groups allow 32 (left out, pulumi-aws's Check refuses the auto-name before AWS sees it).
aws.lb.TargetGroup("checkout-service-target-grp", name="checkout-service-target-group-001" if broken else "checkout-tg",
                   target_type="ip",
                   protocol="HTTP", port=8080, vpc_id="vpc-0abc1234")
# A container health check every second: ECS takes 5-300 s.
task("health-check", "256", "512", 1 if broken else 30)
# 0.25 vCPU takes 512, 1024 or 2048 MiB only.
task("task-size", "256", "1536" if broken else "1024", 30)
# "https" is not an App Mesh listener protocol (http, http2, grpc, tcp).
aws.appmesh.VirtualNode("node", name="node", mesh_name="mesh", spec=aws.appmesh.VirtualNodeSpecArgs(
    listeners=[aws.appmesh.VirtualNodeSpecListenerArgs(port_mapping=aws.appmesh.VirtualNodeSpecListenerPortMappingArgs(
        port=8080, protocol="https" if broken else "http"))]))
# Caching on */* caches every verb, not only GET.
aws.apigateway.MethodSettings("all-methods", rest_api="api-id", stage_name="prod", method_path="*/*",
                              settings=aws.apigateway.MethodSettingsSettingsArgs(
                                  metrics_enabled=True, caching_enabled=True if broken else None))
# An empty block the provider drops, then replaces on every update.
aws.servicediscovery.Service("discovery", name="orders", dns_config=aws.servicediscovery.ServiceDnsConfigArgs(
    namespace_id="ns-0123", dns_records=[aws.servicediscovery.ServiceDnsConfigDnsRecordArgs(type="A", ttl=10)]),
    health_check_custom_config=aws.servicediscovery.ServiceHealthCheckCustomConfigArgs(
        failure_threshold=None if broken else 1))
