"""Raw Cloud Map resources: public DNS namespaces used for mesh discovery (by a virtual node, by an ECS
service's registration), Route 53 health checks and none at all in a private namespace, weighted long-TTL
records; plus correct ones, a public namespace nothing in the mesh uses, and one whose mesh service makes no DNS
records."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
CUSTOM = {"health_check_custom_config": {}}


def registry(name, namespace, dns=True, **args):
    dns_config = {"namespace_id": namespace.id, "routing_policy": "MULTIVALUE",
                  "dns_records": [{"type": "A", "ttl": 10}]}
    if dns:
        args.setdefault("dns_config", dns_config)
    else:
        args["namespace_id"] = namespace.id
    return aws.servicediscovery.Service(name, name=name, tags=TAGS, **args)


# --- public namespaces ---------------------------------------------------------------------------
public = aws.servicediscovery.PublicDnsNamespace("public-ns", name="shop.example.com", tags=TAGS)
registry("public-registry", public, health_check_config={"type": "HTTPS", "resource_path": "/health"})
aws.appmesh.VirtualNode("public-discovery-node", name="orders", mesh_name="shop", tags=TAGS, spec={
    "logging": {"access_log": {"file": {"path": "/dev/stdout"}}},
    "service_discovery": {"aws_cloud_map": {"namespace_name": "shop.example.com", "service_name": "orders"}}})

ecs_public = aws.servicediscovery.PublicDnsNamespace("ecs-public-ns", name="tasks.example.com", tags=TAGS)
ecs_registry = registry("ecs-public-registry", ecs_public, health_check_config={"type": "HTTP"})
aws.ecs.Service("registering-service", name="registering", cluster="shop", task_definition="orders",
                launch_type="FARGATE", desired_count=1, enable_execute_command=False, tags=TAGS,
                network_configuration={"subnets": ["subnet-a"], "assign_public_ip": False,
                                       "security_groups": ["sg-0123456789abcdef0"]},
                deployment_circuit_breaker={"enable": True, "rollback": True},
                service_registries={"registry_arn": ecs_registry.arn})

aws.servicediscovery.PublicDnsNamespace("unused-public-ns", name="marketing.example.com", tags=TAGS)

# A public namespace whose Cloud Map service makes no DNS records (API discovery only): the node that discovers its
# instances and the ECS service that registers them publish nothing.
api_public = aws.servicediscovery.PublicDnsNamespace("api-only-public-ns", name="api.example.com", tags=TAGS)
api_registry = registry("billing", api_public, dns=False, **CUSTOM)
aws.appmesh.VirtualNode("api-discovery-node", name="billing", mesh_name="shop", tags=TAGS, spec={
    "logging": {"access_log": {"file": {"path": "/dev/stdout"}}},
    "service_discovery": {"aws_cloud_map": {"namespace_name": "api.example.com", "service_name": "billing"}}})
aws.ecs.Service("api-registering-service", name="billing", cluster="shop", task_definition="billing",
                launch_type="FARGATE", desired_count=1, enable_execute_command=False, tags=TAGS,
                network_configuration={"subnets": ["subnet-a"], "assign_public_ip": False,
                                       "security_groups": ["sg-0123456789abcdef0"]},
                deployment_circuit_breaker={"enable": True, "rollback": True},
                service_registries={"registry_arn": api_registry.arn})

# A website's weighted, long-lived records in the stack's public namespace, with no Route 53 health check: they serve
# the internet, not the mesh.
registry("public-website-registry", public, **CUSTOM, dns_config={
    "namespace_id": public.id, "routing_policy": "WEIGHTED", "dns_records": [{"type": "A", "ttl": 300}]})

# A public namespace another stack owns: Route 53 health checks (AWS takes them only there) and a website's
# weighted, long-lived records are its own business, not the mesh's.
aws.servicediscovery.Service("imported-public-registry", name="www", tags=TAGS,
                             health_check_config={"type": "HTTPS", "resource_path": "/", "failure_threshold": 3},
                             dns_config={"namespace_id": "ns-abcdef123456", "routing_policy": "WEIGHTED",
                                         "dns_records": [{"type": "A", "ttl": 300}]})
# A namespace another stack owns, and nothing says it is public: judged as the mesh's.
aws.servicediscovery.Service("imported-private-registry", name="cart", tags=TAGS, health_check_custom_config={},
                             dns_config={"namespace_id": "ns-0123456789ab", "routing_policy": "WEIGHTED",
                                         "dns_records": [{"type": "A", "ttl": 300}]})
aws.servicediscovery.Service("imported-http-registry", name="api", tags=TAGS, namespace_id="ns-123456abcdef",
                             health_check_config={"type": "HTTP", "resource_path": "/", "failure_threshold": 3})

# --- a private namespace -------------------------------------------------------------------------
private = aws.servicediscovery.PrivateDnsNamespace("private-ns", name="shop.local", vpc="vpc-0123", tags=TAGS)
registry("route53-checked-registry", private, health_check_config={"type": "HTTP", "resource_path": "/health"})
registry("unchecked-registry", private)
registry("weighted-registry", private, **CUSTOM, dns_config={
    "namespace_id": private.id, "routing_policy": "WEIGHTED", "dns_records": [{"type": "A", "ttl": 300}]})
registry("good-registry", private, **CUSTOM)

# --- an HTTP namespace (API discovery only, no DNS) --------------------------------------------------
http = aws.servicediscovery.HttpNamespace("http-ns", name="shop-http", tags=TAGS)
registry("http-registry", http, dns=False, **CUSTOM)

# --- records AWS routes only WEIGHTED (botocore servicediscovery: DnsRecord.Type CNAME, RegisterInstance's
# AWS_ALIAS_DNS_NAME) ----------------------------------------------------------------------------------
registry("cname-registry", private, **CUSTOM, dns_config={
    "namespace_id": private.id, "routing_policy": "WEIGHTED", "dns_records": [{"type": "CNAME", "ttl": 30}]})
alias = registry("alias-registry", private, **CUSTOM, dns_config={
    "namespace_id": private.id, "routing_policy": "WEIGHTED", "dns_records": [{"type": "A", "ttl": 30}]})
aws.servicediscovery.Instance("alias-instance", instance_id="web-alb", service_id=alias.id,
                              attributes={"AWS_ALIAS_DNS_NAME": "internal-web-123.us-east-1.elb.amazonaws.com"})
# An address instance registers no alias record: its service's WEIGHTED routing is still judged.
addressed = registry("addressed-registry", private, **CUSTOM, dns_config={
    "namespace_id": private.id, "routing_policy": "WEIGHTED", "dns_records": [{"type": "A", "ttl": 30}]})
aws.servicediscovery.Instance("address-instance", instance_id="web-1", service_id=addressed.id,
                              attributes={"AWS_INSTANCE_IPV4": "10.0.0.7"})
