"""Raw pulumi_aws resources that satisfy every guardrail: a mesh with real mTLS, an Envoy-wired Fargate
service (and the rule, schedule and pipe that also start its tasks), a private Cloud Map namespace, a Batch job
definition and an App Runner service that take secrets from Secrets Manager, and a REST API with logging, WAF and
usage plans, under a public zone that logs its queries."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team", "CostCenter": "ecommerce"}
CERT = {"certificate_chain": "/certs/chain.pem", "private_key": "/certs/key.pem"}
TRUST = {"file": {"certificate_chain": "/certs/ca.pem"}}
ROLE = "arn:aws:iam::123456789012:role/task"

# --- mesh ----------------------------------------------------------------------------------------
mesh = aws.appmesh.Mesh("mesh", name="shop", tags=TAGS, spec={
    "egress_filter": {"type": "DROP_ALL"},
    "service_discovery": {"ip_preference": "IPv4_ONLY"},
})
namespace = aws.servicediscovery.PrivateDnsNamespace("namespace", name="shop.local", vpc="vpc-0123", tags=TAGS)
# A public namespace is fine as long as mesh discovery does not use it.
aws.servicediscovery.PublicDnsNamespace("public-namespace", name="status.shop.example.com", tags=TAGS)
registry = aws.servicediscovery.Service("orders-registry", name="orders", tags=TAGS,
    dns_config={"namespace_id": namespace.id, "routing_policy": "MULTIVALUE",
                "dns_records": [{"type": "A", "ttl": 10}]},
    # failure_threshold 1: an empty block is dropped by the provider (tools/apicheck.py).
    health_check_custom_config={"failure_threshold": 1})

client_tls = {"enforce": True, "certificate": {"file": CERT}, "validation": {"trust": TRUST}}
listener = {
    "port_mapping": {"port": 8000, "protocol": "http"},
    "tls": {"mode": "STRICT", "certificate": {"file": CERT}, "validation": {"trust": TRUST}},
    "health_check": {"protocol": "http", "path": "/health", "healthy_threshold": 2, "unhealthy_threshold": 3,
                     "interval_millis": 10000, "timeout_millis": 2000},
    "outlier_detection": {"max_server_errors": 5, "max_ejection_percent": 50,
                          "interval": {"unit": "s", "value": 10}, "base_ejection_duration": {"unit": "s", "value": 30}},
}
access_log = {"access_log": {"file": {"path": "/dev/stdout", "format": {"jsons": [{"key": "path", "value": "%REQ(:PATH)%"}]}}}}

orders_node = aws.appmesh.VirtualNode("orders-v1", name="orders-v1", mesh_name=mesh.name, tags=TAGS, spec={
    "listeners": [listener],
    "backends": [{"virtual_service": {"virtual_service_name": "users.shop.local"}},
                 {"virtual_service": {"virtual_service_name": "payments.shop.local",
                                      "client_policy": {"tls": client_tls}}}],
    "backend_defaults": {"client_policy": {"tls": {**client_tls, "ports": [8000]}}},
    "logging": access_log,
    "service_discovery": {"aws_cloud_map": {"namespace_name": namespace.name, "service_name": registry.name}},
})
aws.appmesh.VirtualNode("users-v1", name="users-v1", mesh_name=mesh.name, tags=TAGS, spec={
    "listeners": [listener],
    "logging": access_log,
    "service_discovery": {"dns": {"hostname": "users.shop.local", "ip_preference": "IPv4_ONLY"}},
})
# An egress node for an approved external API (the prod policy config allows *.stripe.com).
aws.appmesh.VirtualNode("payment-provider", name="payment-provider", mesh_name=mesh.name, tags=TAGS, spec={
    "listeners": [{"port_mapping": {"port": 443, "protocol": "tcp"}}],
    "service_discovery": {"dns": {"hostname": "api.stripe.com", "ip_preference": "IPv4_ONLY"}},
})
aws.appmesh.VirtualGateway("ingress", name="ingress", mesh_name=mesh.name, tags=TAGS, spec={
    "listeners": [{"port_mapping": {"port": 8443, "protocol": "http"},
                   "tls": {"mode": "STRICT", "certificate": {"file": CERT}, "validation": {"trust": TRUST}},
                   "health_check": {"protocol": "http", "path": "/ping", "healthy_threshold": 2,
                                    "unhealthy_threshold": 3, "interval_millis": 10000, "timeout_millis": 2000}}],
    "backend_defaults": {"client_policy": {"tls": client_tls}},
    "logging": access_log,
})
router = aws.appmesh.VirtualRouter("orders-router", name="orders-router", mesh_name=mesh.name, tags=TAGS, spec={
    "listeners": [{"port_mapping": {"port": 8000, "protocol": "http"}}]})
aws.appmesh.Route("orders-route", name="orders-route", mesh_name=mesh.name, virtual_router_name=router.name,
    tags=TAGS, spec={"http_route": {
        "match": {"prefix": "/"},
        "action": {"weighted_targets": [{"virtual_node": orders_node.name, "weight": 100}]},
        "retry_policy": {"max_retries": 3, "per_retry_timeout": {"unit": "ms", "value": 2000},
                         "http_retry_events": ["stream-error", "gateway-error"],
                         "tcp_retry_events": ["connection-error"]}}})
aws.appmesh.VirtualService("orders-service", name="orders.shop.local", mesh_name=mesh.name, tags=TAGS, spec={
    "provider": {"virtual_router": {"virtual_router_name": router.name}}})

# --- ECS -----------------------------------------------------------------------------------------
cluster = aws.ecs.Cluster("cluster", name="shop", tags=TAGS,
                          settings=[{"name": "containerInsights", "value": "enhanced"}])
# EC2 capacity for the cluster, whose Auto Scaling group ECS scales in only where no task runs.
aws.ecs.CapacityProvider("capacity", tags=TAGS, auto_scaling_group_provider={
    "auto_scaling_group_arn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/shop",
    "managed_scaling": {"status": "ENABLED"}, "managed_termination_protection": "ENABLED"})
logs = {"logDriver": "awslogs", "options": {"awslogs-group": "/shop/orders", "awslogs-region": "us-east-1",
                                             "awslogs-stream-prefix": "orders"}}
task = aws.ecs.TaskDefinition("orders-task", family="orders-v1", network_mode="awsvpc", cpu="512", memory="1024",
    requires_compatibilities=["FARGATE"], execution_role_arn=ROLE, task_role_arn=ROLE, tags=TAGS,
    proxy_configuration={"type": "APPMESH", "container_name": "envoy", "properties": {
        "IgnoredUID": "1337", "ProxyIngressPort": "15000", "ProxyEgressPort": "15001", "AppPorts": "8000",
        "EgressIgnoredIPs": "169.254.170.2,169.254.169.254"}},
    container_definitions=pulumi.Output.json_dumps([
        {"name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:3.0.7", "essential": True,
         "user": "1000:1000", "readonlyRootFilesystem": True, "memory": 512, "logConfiguration": logs,
         "portMappings": [{"containerPort": 8000}],
         "healthCheck": {"command": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"],
                         "interval": 30, "timeout": 5, "retries": 3},
         "environment": [{"name": "LOG_LEVEL", "value": "info"}],
         "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}],
         "dependsOn": [{"containerName": "envoy", "condition": "HEALTHY"}]},
        {"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod", "essential": True,
         "user": "1337", "readonlyRootFilesystem": True, "memory": 256, "logConfiguration": logs,
         "environment": [{"name": "APPMESH_RESOURCE_ARN", "value": orders_node.arn},
                         {"name": "ENABLE_ENVOY_XRAY_TRACING", "value": "1"}],
         "healthCheck": {"command": ["CMD-SHELL", "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"],
                         "startPeriod": 10, "interval": 5, "timeout": 2, "retries": 3}},
        {"name": "xray", "image": "public.ecr.aws/xray/aws-xray-daemon:3.3.14", "essential": False, "user": "1337",
         "readonlyRootFilesystem": True, "memory": 128, "logConfiguration": logs},
    ]))
aws.ecs.Service("orders", name="orders-v1", cluster=cluster.arn, task_definition=task.arn, desired_count=2,
    launch_type="FARGATE", platform_version="1.4.0", enable_execute_command=False, tags=TAGS,
    network_configuration={"subnets": ["subnet-a", "subnet-b"], "assign_public_ip": False,
                           "security_groups": ["sg-0123456789abcdef0"]},
    deployment_circuit_breaker={"enable": True, "rollback": True},
    service_registries={"registry_arn": registry.arn})
# What else starts its tasks: a nightly rule, a schedule and a pipe, each in private subnets, with overrides that pass
# no secrets (the task definition injects those).
PRIVATE = {"subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-0123456789abcdef0"]}
OVERRIDES = {"containerOverrides": [{"name": "orders", "environment": [{"name": "MODE", "value": "batch"}]}]}
LAUNCHER = "arn:aws:iam::123456789012:role/launcher"
nightly = aws.cloudwatch.EventRule("nightly", schedule_expression="cron(0 3 * * ? *)", tags=TAGS)
aws.cloudwatch.EventTarget("nightly-orders", rule=nightly.name, arn=cluster.arn, role_arn=LAUNCHER,
    input=json.dumps(OVERRIDES), ecs_target={"task_definition_arn": task.arn, "launch_type": "FARGATE",
                                             "network_configuration": {**PRIVATE, "assign_public_ip": False}})
aws.scheduler.Schedule("hourly-orders", schedule_expression="rate(1 hour)", flexible_time_window={"mode": "OFF"},
    target={"arn": cluster.arn, "role_arn": LAUNCHER, "input": json.dumps(OVERRIDES),
            "ecs_parameters": {"task_definition_arn": task.arn, "launch_type": "FARGATE",
                               "network_configuration": {**PRIVATE, "assign_public_ip": False}}})
aws.pipes.Pipe("orders-pipe", role_arn=LAUNCHER, source="arn:aws:sqs:us-east-1:123456789012:orders", target=cluster.arn,
    tags=TAGS, target_parameters={"ecs_task_parameters": {
        "task_definition_arn": task.arn, "launch_type": "FARGATE",
        "network_configuration": {"aws_vpc_configuration": {**PRIVATE, "assign_public_ip": "DISABLED"}},
        "overrides": {"container_overrides": [{"name": "orders",
                                               "environments": [{"name": "MODE", "value": "pipe"}]}]}}})

# --- Batch and App Runner: secrets from Secrets Manager, not plain variables ---------------------
DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf"
aws.batch.JobDefinition("orders-report", type="container", platform_capabilities=["FARGATE"], tags=TAGS,
    container_properties=json.dumps({
        "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/report:1.0.0",
        "resourceRequirements": [{"type": "VCPU", "value": "0.25"}, {"type": "MEMORY", "value": "512"}],
        "environment": [{"name": "LOG_LEVEL", "value": "info"}],
        "secrets": [{"name": "DB_PASSWORD", "valueFrom": DB_SECRET}]}))
# An App Runner service names its secrets in runtimeEnvironmentSecrets.
aws.apprunner.Service("orders-web", service_name="orders-web", tags=TAGS, source_configuration={
    "auto_deployments_enabled": False,
    "image_repository": {"image_identifier": "111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0",
                         "image_repository_type": "ECR", "image_configuration": {
                             "port": "8080", "runtime_environment_variables": {"LOG_LEVEL": "info"},
                             "runtime_environment_secrets": {"DB_PASSWORD": DB_SECRET}}}})

# --- API Gateway ---------------------------------------------------------------------------------
api = aws.apigateway.RestApi("api", name="shop-api", tags=TAGS, endpoint_configuration={"types": "REGIONAL"},
                             security_policy="TLS_1_2")
resource = aws.apigateway.Resource("orders-resource", rest_api=api.id, parent_id=api.root_resource_id,
                                   path_part="orders")
validator = aws.apigateway.RequestValidator("validator", rest_api=api.id, name="all",
                                            validate_request_body=True, validate_request_parameters=True)
get_orders = aws.apigateway.Method("get-orders", rest_api=api.id, resource_id=resource.id, http_method="GET",
                                   authorization="AWS_IAM", api_key_required=True,
                                   request_validator_id=validator.id)
aws.apigateway.Method("options-orders", rest_api=api.id, resource_id=resource.id, http_method="OPTIONS",
                      authorization="NONE")
link = aws.apigateway.VpcLink("link", name="shop-link", tags=TAGS,
    target_arn="arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/ingress/0123456789abcdef")
integration = aws.apigateway.Integration("get-orders-integration", rest_api=api.id, resource_id=resource.id,
    http_method=get_orders.http_method, type="HTTP_PROXY", integration_http_method="GET",
    uri="https://ingress.shop.local/orders", connection_type="VPC_LINK", connection_id=link.id,
    tls_config={"insecure_skip_verification": False})
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id,
                                       opts=pulumi.ResourceOptions(depends_on=[integration]))
# The log groups' key lets CloudWatch Logs use it for them only (cloudwatch-log-group-key-allows-logs).
logs_key = aws.kms.Key("logs-key", enable_key_rotation=True, tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [
        {"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudWatchLogsUse", "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": [
             "arn:aws:logs:us-east-1:123456789012:log-group:/shop/*",
             "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-fn",
             "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-shop"]}}}]}))
log_group = aws.cloudwatch.LogGroup("api-access-logs", name="/shop/api", retention_in_days=365,
                                    kms_key_id=logs_key.arn, tags=TAGS)
client_cert = aws.apigateway.ClientCertificate("backend-cert", description="backend mTLS", tags=TAGS)
stage = aws.apigateway.Stage("stage", rest_api=api.id, deployment=deployment.id, stage_name="live", tags=TAGS,
    xray_tracing_enabled=True, client_certificate_id=client_cert.id,
    cache_cluster_enabled=True, cache_cluster_size="0.5",
    access_log_settings={"destination_arn": log_group.arn,
                         "format": json.dumps({"requestId": "$context.requestId", "status": "$context.status"})})
METHOD_SETTINGS = {"logging_level": "ERROR", "metrics_enabled": True, "data_trace_enabled": False,
                   "throttling_rate_limit": 100, "throttling_burst_limit": 200}
# The stage's cache caches its GETs by default: */* encrypts it.
all_methods = aws.apigateway.MethodSettings("all-methods", rest_api=api.id, stage_name=stage.stage_name,
                                            method_path="*/*",
                                            settings={**METHOD_SETTINGS, "cache_data_encrypted": True})
# Caching per GET, never on */* (that would cache writes too).
aws.apigateway.MethodSettings("orders-get", rest_api=api.id, stage_name=stage.stage_name, method_path="~1orders/GET",
    settings={**METHOD_SETTINGS, "caching_enabled": True, "cache_data_encrypted": True},
    opts=pulumi.ResourceOptions(depends_on=[all_methods]))
aws.apigateway.UsagePlan("standard", name="standard", tags=TAGS,
    api_stages=[{"api_id": api.id, "stage": stage.stage_name}],
    throttle_settings={"rate_limit": 50, "burst_limit": 100},
    quota_settings={"limit": 10000, "period": "DAY"})
acl = aws.wafv2.WebAcl("acl", name="shop-acl", scope="REGIONAL", tags=TAGS, default_action={"allow": {}},
    visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "shop", "sampled_requests_enabled": True},
    rules=[{"name": "common", "priority": 0, "override_action": {"none": {}},
            "statement": {"managed_rule_group_statement": {"vendor_name": "AWS",
                                                           "name": "AWSManagedRulesCommonRuleSet"}},
            "visibility_config": {"cloudwatch_metrics_enabled": True, "metric_name": "common",
                                  "sampled_requests_enabled": True}}])
aws.wafv2.WebAclAssociation("acl-stage", resource_arn=stage.arn, web_acl_arn=acl.arn)
# WAF logs only to destinations named aws-waf-logs-*.
waf_logs = aws.cloudwatch.LogGroup("waf-logs", name="aws-waf-logs-shop", retention_in_days=365,
                                   kms_key_id=logs_key.arn, tags=TAGS)
aws.wafv2.WebAclLoggingConfiguration("acl-logging", resource_arn=acl.arn, log_destination_configs=[waf_logs.arn])
aws.apigateway.DomainName("domain", domain_name="api.shop.example.com", tags=TAGS,
    regional_certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/abc",
    endpoint_configuration={"types": "REGIONAL"}, security_policy="SecurityPolicy_TLS13_1_2_2021_06",
    endpoint_access_mode="STRICT")
# The API's public zone logs the queries it answers (to a group in us-east-1, as Route 53 requires).
zone = aws.route53.Zone("shop-zone", name="shop.example.com", tags=TAGS)
aws.route53.QueryLog("shop-zone-queries", zone_id=zone.zone_id,
                     cloudwatch_log_group_arn="arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/shop")

http_api = aws.apigatewayv2.Api("http-api", name="shop-http", protocol_type="HTTP", tags=TAGS)
aws.apigatewayv2.Stage("http-stage", api_id=http_api.id, name="$default", auto_deploy=True, tags=TAGS,
    access_log_settings={"destination_arn": log_group.arn, "format": json.dumps({"requestId": "$context.requestId"})},
    default_route_settings={"throttling_rate_limit": 100, "throttling_burst_limit": 50})
# A WebSocket API's stage logs execution (why a connect or an integration failed) at ERROR.
ws_api = aws.apigatewayv2.Api("ws-api", name="shop-ws", protocol_type="WEBSOCKET",
                              route_selection_expression="$request.body.action", tags=TAGS)
aws.apigatewayv2.Stage("ws-stage", api_id=ws_api.id, name="live", auto_deploy=True, tags=TAGS,
    access_log_settings={"destination_arn": log_group.arn, "format": json.dumps({"requestId": "$context.requestId"})},
    default_route_settings={"throttling_rate_limit": 100, "throttling_burst_limit": 50, "logging_level": "ERROR"})
jwt = aws.apigatewayv2.Authorizer("http-jwt", api_id=http_api.id, name="jwt", authorizer_type="JWT",
                                  identity_sources=["$request.header.Authorization"],
                                  jwt_configuration={"issuer": "https://idp.example.com", "audiences": ["shop"]})
aws.apigatewayv2.Route("http-orders", api_id=http_api.id, route_key="GET /orders", authorization_type="JWT",
                       authorizer_id=jwt.id)
# CORS preflight: browsers send it without credentials.
aws.apigatewayv2.Route("http-preflight", api_id=http_api.id, route_key="OPTIONS /{proxy+}")
# An HTTP API defined by an OpenAPI body: every route needs the JWT (the document's security).
aws.apigatewayv2.Api("openapi-http", name="shop-openapi", protocol_type="HTTP", tags=TAGS, body=json.dumps({
    "openapi": "3.0.1", "info": {"title": "shop", "version": "1"}, "security": [{"jwt": []}],
    "components": {"securitySchemes": {"jwt": {"type": "oauth2", "x-amazon-apigateway-authorizer": {
        "type": "jwt", "identitySource": "$request.header.Authorization",
        "jwtConfiguration": {"issuer": "https://idp.example.com", "audience": ["shop"]}}}}},
    "paths": {"/orders": {"get": {"x-amazon-apigateway-integration": {
        "type": "http_proxy", "httpMethod": "GET", "uri": "https://orders.shop.example.com/orders"}}}}}))

function_logs = aws.cloudwatch.LogGroup("function-logs", name="/aws/lambda/orders-fn", retention_in_days=365,
                                        kms_key_id=logs_key.arn, tags=TAGS)
orders_fn = aws.lambda_.Function("orders-fn", name="orders-fn", role="arn:aws:iam::123456789012:role/orders-fn",
                     runtime="python3.13", handler="handler.handler", tags=TAGS,
                     code=pulumi.AssetArchive({"handler.py": pulumi.StringAsset("def handler(e, c):\n    return {}\n")}),
                     reserved_concurrent_executions=5, tracing_config={"mode": "Active"})
aws.lambda_.FunctionUrl("orders-fn-url", function_name=orders_fn.name, authorization_type="AWS_IAM")
# Every principal of one organization may invoke it (principal * with a fixed condition is not public).
aws.lambda_.Permission("orders-fn-org-invoke", function=orders_fn.name, action="lambda:InvokeFunction", principal="*",
                       principal_org_id="o-a1b2c3d4e5")
# A layer of shared code, usable by the organization's accounts only.
orders_layer = aws.lambda_.LayerVersion("orders-layer", layer_name="orders-common", compatible_runtimes=["python3.13"],
                                        code=pulumi.AssetArchive({"python/common.py": pulumi.StringAsset("X = 1\n")}))
aws.lambda_.LayerVersionPermission("orders-layer-org", layer_name=orders_layer.layer_name,
                                   version_number=orders_layer.version, statement_id="organization",
                                   action="lambda:GetLayerVersion", principal="*", organization_id="o-a1b2c3d4e5")

# The audit trail into an object-locked, private, TLS-only, encrypted archive (whose server access logs go to the
# log bucket), and into an encrypted log group through a role CloudTrail assumes; an ALB logging to a log bucket.
archive_key = aws.kms.Key("archive-key", enable_key_rotation=True, tags=TAGS)
trail_logs = aws.cloudwatch.LogGroup("trail-logs", name="/shop/cloudtrail", retention_in_days=365,
                                     kms_key_id=logs_key.arn, tags=TAGS)
trail_logs_role = aws.iam.Role("trail-logs-role", tags=TAGS, assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}))
trail_logs_policy = aws.iam.RolePolicy("trail-logs-role", role=trail_logs_role.id, policy=trail_logs.arn.apply(
    lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": f"{arn}:log-stream:123456789012_CloudTrail_us-east-1*"}]})))
# Support staff read through their group's policy, none of their own.
support = aws.iam.Group("support", name="support")
aws.iam.PolicyAttachment("support-read-only", policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess",
                         groups=[support.name])
log_buckets = {}
for bucket_name, lock in (("archive", True), ("lb-logs", False)):
    bucket = log_buckets[bucket_name] = aws.s3.Bucket(bucket_name, object_lock_enabled=lock or None, tags=TAGS)
    aws.s3.BucketPublicAccessBlock(f"{bucket_name}-pab", bucket=bucket.id, block_public_acls=True,
                                   block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
    aws.s3.BucketPolicy(f"{bucket_name}-policy", bucket=bucket.id, policy=bucket.arn.apply(lambda arn: json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                "Resource": [arn, f"{arn}/*"],
                                                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})))
    aws.s3.BucketServerSideEncryptionConfiguration(f"{bucket_name}-sse", bucket=bucket.id, rules=[
        {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"},
         "blocked_encryption_types": ["SSE-C"]}])
    aws.s3.BucketVersioning(f"{bucket_name}-versioning", bucket=bucket.id,
                            versioning_configuration={"status": "Enabled"})
    aws.s3.BucketLifecycleConfiguration(f"{bucket_name}-lifecycle", bucket=bucket.id, rules=[
        {"id": "expire-noncurrent", "status": "Enabled", "filter": {"prefix": ""},
         "noncurrent_version_expiration": {"noncurrent_days": 90}}])
    if lock:
        aws.s3.BucketObjectLockConfiguration(f"{bucket_name}-lock", bucket=bucket.id, object_lock_enabled="Enabled",
                                             rule={"default_retention": {"mode": "COMPLIANCE", "days": 365}})
        aws.cloudtrail.Trail("trail", s3_bucket_name=bucket.id, is_multi_region_trail=True,
                             enable_log_file_validation=True, kms_key_id=archive_key.arn, tags=TAGS,
                             cloud_watch_logs_group_arn=trail_logs.arn.apply(lambda arn: f"{arn}:*"),
                             cloud_watch_logs_role_arn=trail_logs_role.arn,
                             opts=pulumi.ResourceOptions(depends_on=[trail_logs_policy]))
    else:
        aws.lb.LoadBalancer("alb", load_balancer_type="application", internal=True, tags=TAGS,
                            subnets=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                            drop_invalid_header_fields=True, enable_deletion_protection=True,
                            access_logs={"enabled": True, "bucket": bucket.id, "prefix": "alb"})
        # A Classic Load Balancer: HTTPS only, logging to the same bucket (enabled by default).
        classic = aws.elb.LoadBalancer("classic", internal=True, tags=TAGS, connection_draining=True,
                                       subnets=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                                       listeners=[{"instance_port": 8443, "instance_protocol": "https",
                                                   "lb_port": 443, "lb_protocol": "https",
                                                   "ssl_certificate_id":
                                                       "arn:aws:acm:us-east-1:123456789012:certificate/c"}],
                                       access_logs={"bucket": bucket.id, "bucket_prefix": "classic"})
        # Negotiation with the TLS 1.2 predefined policy (ELB's default takes TLS 1.0).
        aws.elb.SslNegotiationPolicy("classic-tls12", name="tls12", load_balancer=classic.name, lb_port=443,
                                     attributes=[{"name": "Reference-Security-Policy",
                                                  "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}])

aws.s3.BucketLogging("archive-logging", bucket=log_buckets["archive"].id, target_bucket=log_buckets["lb-logs"].id,
                     target_prefix="archive/")
# A CloudTrail Lake event data store under the archive's key.
aws.cloudtrail.EventDataStore("activity-lake", name="activity-lake", kms_key_id=archive_key.arn, tags=TAGS)

pulumi.export("stageArn", stage.arn)

# Shoppers sign themselves up: their verification codes go through SES, not Cognito's own sender, and a changed
# address stays pending until verified. AWS's default password policy (8 characters, all four classes, 7 days);
# shoppers may enrol a TOTP app, and threat protection (the Plus plan) blocks risky sign-ins. The storefront signs
# in with SRP and the OAuth code flow; the identity pool has no guests.
users = aws.cognito.UserPool(
    "users", name="shop-users", auto_verified_attributes=["email"],
    user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
    email_configuration={"email_sending_account": "DEVELOPER",
                         "source_arn": "arn:aws:ses:us-east-1:123456789012:identity/shop.example.com",
                         "from_email_address": "Shop <no-reply@shop.example.com>"},
    mfa_configuration="OPTIONAL", software_token_mfa_configuration={"enabled": True}, deletion_protection="ACTIVE",
    user_pool_tier="PLUS", user_pool_add_ons={"advanced_security_mode": "ENFORCED"}, tags=TAGS)
aws.cognito.UserPoolClient("storefront", name="storefront", user_pool_id=users.id, generate_secret=False,
                           explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                           allowed_oauth_flows_user_pool_client=True, allowed_oauth_flows=["code"],
                           allowed_oauth_scopes=["openid"], callback_urls=["https://shop.example.com/callback"],
                           supported_identity_providers=["COGNITO"])
aws.cognito.IdentityPool("shop-identities", identity_pool_name="shop_identities",
                         allow_unauthenticated_identities=False, tags=TAGS)

# Alerts wait on the topic encrypted at rest.
alerts = aws.sns.Topic("alerts", kms_master_key_id="alias/aws/sns", tags=TAGS)
aws.sns.TopicSubscription("alerts-pager", topic=alerts.arn, protocol="https",
                          endpoint="https://events.pager.example.com/integration/abc123/enqueue")
aws.sqs.Queue("jobs", tags=TAGS)  # SQS encrypts it with SQS-owned keys (SSE-SQS)
# Each alarm has a name of its own (CloudWatch creates or updates by name).
aws.cloudwatch.MetricAlarm("orders-5xx-alarm", name="orders-5xx-rate", comparison_operator="GreaterThanThreshold",
                           evaluation_periods=1, metric_name="5XXError", namespace="AWS/ApiGateway", period=60,
                           statistic="Average", threshold=1, alarm_actions=[alerts.arn], tags=TAGS)

# A private, encrypted, protected, Multi-AZ database and Aurora cluster, backed up for two weeks, their master
# passwords kept and rotated by RDS in Secrets Manager, IAM database authentication on, their engine's logs in
# CloudWatch Logs, Enhanced Monitoring every minute (the cluster's covers its instances).
DATABASE = dict(storage_encrypted=True, deletion_protection=True, backup_retention_period=14,
                manage_master_user_password=True, iam_database_authentication_enabled=True, tags=TAGS,
                monitoring_interval=60, monitoring_role_arn="arn:aws:iam::123456789012:role/rds-monitoring")
orders_db = aws.rds.Instance("orders-db", identifier="orders-db", engine="postgres", engine_version="16.4",
                             instance_class="db.t4g.medium", allocated_storage=20, username="app",
                             enabled_cloudwatch_logs_exports=["postgresql", "upgrade"], multi_az=True, **DATABASE)
# A manual snapshot shared with the backup account only (never with "all").
aws.rds.Snapshot("orders-db-snapshot", db_instance_identifier=orders_db.identifier,
                 db_snapshot_identifier="orders-db-manual", shared_accounts=["210987654321"], tags=TAGS)
accounts_db = aws.rds.Cluster("accounts-db", cluster_identifier="accounts-db", engine="aurora-postgresql",
                              engine_version="16.4", master_username="app",
                              enabled_cloudwatch_logs_exports=["postgresql"], **DATABASE)
# A writer and a reader, which Aurora puts in different Availability Zones.
for n in (1, 2):
    aws.rds.ClusterInstance(f"accounts-db-{n}", identifier=f"accounts-db-{n}", cluster_identifier=accounts_db.id,
                            instance_class="db.r6g.large", engine="aurora-postgresql", tags=TAGS)
# A proxy in front of it that takes TLS connections only.
aws.rds.Proxy("accounts-db-proxy", name="accounts-db-proxy", engine_family="POSTGRESQL", require_tls=True,
              role_arn="arn:aws:iam::123456789012:role/accounts-db-proxy", vpc_subnet_ids=["subnet-a", "subnet-b"],
              default_auth_scheme="IAM_AUTH", tags=TAGS)

# A Neptune graph database cluster whose storage is encrypted with the account's KMS key, protected from deletion,
# backed up for two weeks (its tags copied to its snapshots), taking only requests signed by IAM identities, writing
# an audit log (its parameter group turns it on) and publishing it to CloudWatch Logs; a primary and a read replica,
# each pinned to its own Availability Zone (left out, Neptune picks a zone for each, which may be the same one).
graph_parameters = aws.neptune.ClusterParameterGroup(
    "orders-graph-parameters", name="orders-graph-parameters", family="neptune1.4", tags=TAGS,
    parameters=[{"name": "neptune_enable_audit_log", "value": "1"}])
orders_graph = aws.neptune.Cluster(
    "orders-graph", cluster_identifier="orders-graph", engine="neptune", engine_version="1.4.5.1",
    storage_encrypted=True, kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/orders-graph", deletion_protection=True,
    backup_retention_period=14, iam_database_authentication_enabled=True, copy_tags_to_snapshot=True,
    enable_cloudwatch_logs_exports=["audit"], neptune_cluster_parameter_group_name=graph_parameters.name,
    skip_final_snapshot=True, tags=TAGS)
for n, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
    aws.neptune.ClusterInstance(f"orders-graph-{n}", identifier=f"orders-graph-{n}",
                                cluster_identifier=orders_graph.id, instance_class="db.r6g.large", engine="neptune",
                                availability_zone=zone, tags=TAGS)

# A repository scanned on push, with immutable tags, expiring untagged images, pulled within the organization.
images = aws.ecr.Repository("orders-images", name="orders-images", image_tag_mutability="IMMUTABLE",
                            image_scanning_configuration={"scan_on_push": True}, tags=TAGS)
aws.ecr.LifecyclePolicy("orders-images-lifecycle", repository=images.name, policy=json.dumps({"rules": [{
    "rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                     "countNumber": 7}, "action": {"type": "expire"}}]}))
aws.ecr.RepositoryPolicy("orders-images-policy", repository=images.name, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{
        "Sid": "OrgPulls", "Effect": "Allow", "Principal": "*",
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}}]}))

# A pull-through cache whose repositories ECR creates from a template of its prefix: images no one pulled for 90 days
# expire, and only the organization may pull.
aws.ecr.RepositoryCreationTemplate(
    "ecr-public-cache-template", prefix="ecr-public", applied_fors=["PULL_THROUGH_CACHE"],
    lifecycle_policy=json.dumps({"rules": [{"rulePriority": 1, "action": {"type": "expire"}, "selection": {
        "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90}}]}),
    repository_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "OrgPulls", "Effect": "Allow", "Principal": "*",
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}}]}))
aws.ecr.PullThroughCacheRule("ecr-public-cache", ecr_repository_prefix="ecr-public",
                             upstream_registry_url="public.ecr.aws")

# An instance that takes metadata calls with tokens only, has no public address (a private subnet of the team's own)
# and an encrypted root volume.
aws.ec2.Instance("orders-worker", ami="ami-0123456789abcdef0", instance_type="t4g.small",
                 subnet_id="subnet-0a1b2c3d4e5f60001", metadata_options={"http_tokens": "required"},
                 root_block_device={"encrypted": True}, tags=TAGS)
# An Auto Scaling group that launches such instances from a launch template, as either of two instance types, in the
# shop's two private subnets.
workers = aws.ec2.LaunchTemplate("orders-worker-template", image_id="ami-0123456789abcdef0",
                                 instance_type="t4g.small", metadata_options={"http_tokens": "required"},
                                 block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"encrypted": "true"}}],
                                 tags=TAGS)
aws.autoscaling.Group("orders-workers", min_size=1, max_size=4,
                      vpc_zone_identifiers=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                      mixed_instances_policy={"launch_template": {
                          "launch_template_specification": {"launch_template_id": workers.id, "version": "$Latest"},
                          "overrides": [{"instance_type": "t4g.small"}, {"instance_type": "t4g.medium"}]}},
                      tags=[{"key": k, "value": v, "propagate_at_launch": True} for k, v in TAGS.items()])
# The workers' AMI, shared with the organization's accounts only.
aws.ec2.AmiLaunchPermission("orders-worker-ami-org", image_id="ami-0123456789abcdef0",
                            organization_arn="arn:aws:organizations::123456789012:organization/o-abc123def4")
# The region's AMIs and EBS snapshots cannot be shared publicly.
aws.ec2.ImageBlockPublicAccess("image-sharing-blocked", state="block-new-sharing")
aws.ebs.SnapshotBlockPublicAccess("snapshot-sharing-blocked", state="block-all-sharing")

# A cache encrypted at rest and in transit, with users, keeping a week of snapshots, failing over to its replica, in
# a subnet group of the shop's private subnets.
aws.elasticache.ReplicationGroup("sessions-cache", replication_group_id="sessions", description="shopper sessions",
                                 node_type="cache.t4g.small", num_cache_clusters=2, at_rest_encryption_enabled=True,
                                 transit_encryption_enabled=True, user_group_ids=["sessions-users"],
                                 snapshot_retention_limit=7, automatic_failover_enabled=True,
                                 subnet_group_name="shop-cache-subnets", tags=TAGS)
# A serverless Valkey cache (TLS always on) with users, keeping a week of snapshots.
aws.elasticache.ServerlessCache("carts-cache", name="carts", engine="valkey", user_group_id="carts-users",
                                snapshot_retention_limit=7, subnet_ids=["subnet-a"], security_group_ids=["sg-cache"],
                                tags=TAGS)
# A Memcached cache of its own, over TLS (a Redis OSS or Valkey one would be a replication group, as above, to
# take TLS; Memcached keeps no snapshots).
aws.elasticache.Cluster("rates-cache", cluster_id="rates", engine="memcached", engine_version="1.6.22",
                        node_type="cache.t4g.small", num_cache_nodes=1, transit_encryption_enabled=True,
                        subnet_group_name="shop-cache-subnets", tags=TAGS)

# A search domain in private subnets, encrypted both ways, HTTPS-only with a current TLS policy, with fine-grained
# access control, audit and error logs.
search_logs = aws.cloudwatch.LogGroup("search-audit-logs", name="/shop/search/audit", tags=TAGS,
                                      retention_in_days=365, kms_key_id=logs_key.arn)
aws.opensearch.Domain(
    "catalogue-search", domain_name="catalogue", engine_version="OpenSearch_2.19", tags=TAGS,
    cluster_config={"instance_type": "r7g.large.search", "instance_count": 3, "zone_awareness_enabled": True,
                    "zone_awareness_config": {"availability_zone_count": 2}, "dedicated_master_enabled": True,
                    "dedicated_master_count": 3, "dedicated_master_type": "m7g.large.search"},
    ebs_options={"ebs_enabled": True, "volume_size": 100},
    vpc_options={"subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-search"]},
    encrypt_at_rest={"enabled": True}, node_to_node_encryption={"enabled": True},
    domain_endpoint_options={"enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"},
    advanced_security_options={"enabled": True, "master_user_options": {
        "master_user_arn": "arn:aws:iam::123456789012:role/search-admin"}},
    log_publishing_options=[{"log_type": kind, "cloudwatch_log_group_arn": search_logs.arn}
                            for kind in ("AUDIT_LOGS", "ES_APPLICATION_LOGS")])

# The catalogue's OpenSearch Serverless collections: reached through a VPC endpoint only, encrypted with a customer
# managed key.
aws.opensearch.ServerlessSecurityPolicy("catalogue-search-network", name="catalogue-network", type="network",
                                        policy=json.dumps([{"Rules": [
                                            {"ResourceType": "collection", "Resource": ["collection/catalogue*"]},
                                            {"ResourceType": "dashboard", "Resource": ["collection/catalogue*"]}],
                                            "AllowFromPublic": False, "SourceVPCEs": ["vpce-0123456789abcdef0"]}]))
aws.opensearch.ServerlessSecurityPolicy("catalogue-search-encryption", name="catalogue-encryption",
                                        type="encryption", policy=pulumi.Output.json_dumps({
                                            "Rules": [{"ResourceType": "collection",
                                                       "Resource": ["collection/catalogue*"]}],
                                            "AWSOwnedKey": False, "KmsARN": logs_key.arn}))

# An encrypted file system, backed up, reached through an access point that confines its clients to a directory and
# a user, and only through its mount target.
files = aws.efs.FileSystem("order-files", creation_token="order-files", encrypted=True, tags=TAGS)
aws.efs.BackupPolicy("order-files-backups", file_system_id=files.id, backup_policy={"status": "ENABLED"})
aws.efs.FileSystemPolicy("order-files-policy", file_system_id=files.id, policy=files.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [{
        "Sid": "MountTargetsOnly", "Effect": "Allow", "Principal": {"AWS": "*"}, "Resource": arn,
        "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}}]})))
aws.efs.AccessPoint("order-files-orders", file_system_id=files.id, tags=TAGS, posix_user={"uid": 1000, "gid": 1000},
                    root_directory={"path": "/orders", "creation_info": {
                        "owner_uid": 1000, "owner_gid": 1000, "permissions": "750"}})
# Its mount target in a private subnet (one that gives nothing launched into it a public address).
files_subnet = aws.ec2.Subnet("order-files-subnet", vpc_id="vpc-0123456789abcdef0", cidr_block="10.0.40.0/24",
                              availability_zone="us-east-1a", tags=TAGS)
aws.efs.MountTarget("order-files-target", file_system_id=files.id, subnet_id=files_subnet.id,
                    security_groups=["sg-0123456789abcdef0"])

# A distribution that takes HTTPS from viewers with a current TLS policy, reaches its origin over HTTPS, behind a
# web ACL (a CLOUDFRONT-scope one, made in us-east-1 by the edge's own stack), logging its requests to a bucket.
aws.cloudfront.Distribution(
    "shop-edge", enabled=True, aliases=["www.shop.example.com"], tags=TAGS,
    logging_config={"bucket": "shop-edge-logs.s3.amazonaws.com", "prefix": "shop-edge/"},
    web_acl_id="arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/12345678-1234-1234-1234-123456789012",
    origins=[{"origin_id": "shop", "domain_name": "shop-origin.example.com", "custom_origin_config": {
        "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
        "origin_ssl_protocols": ["TLSv1.2"]}}],
    default_cache_behavior={"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                            "target_origin_id": "shop", "viewer_protocol_policy": "redirect-to-https",
                            "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/"
                                               "12345678-1234-1234-1234-123456789012",
                        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"})

# A cluster whose Kubernetes API is reached from the VPC only, its secrets envelope-encrypted with the account's key,
# writing the API server's audit log, granting access through access entries alone.
aws.eks.Cluster("orders-eks", name="orders", role_arn="arn:aws:iam::123456789012:role/eks-cluster", version="1.33",
                vpc_config={"subnet_ids": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"], "endpoint_private_access": True,
                            "endpoint_public_access": False},
                encryption_config={"resources": ["secrets"], "provider": {
                    "key_arn": "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"}},
                enabled_cluster_log_types=["api", "audit", "authenticator"],
                access_config={"authentication_mode": "API"}, tags=TAGS)
# Its managed nodes take no SSH key: they are reached through SSM Session Manager.
aws.eks.NodeGroup("orders-nodes", cluster_name="orders", node_role_arn="arn:aws:iam::123456789012:role/eks-nodes",
                  subnet_ids=["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                  scaling_config={"desired_size": 2, "max_size": 3, "min_size": 1}, tags=TAGS)

# A Kafka cluster taking TLS only, between brokers and from clients, private, authenticating clients with IAM, and
# delivering its broker logs.
kafka_logs = aws.cloudwatch.LogGroup("kafka-broker-logs", name="/shop/kafka/brokers", tags=TAGS,
                                     retention_in_days=365, kms_key_id=logs_key.arn)
kafka = aws.msk.Cluster(
    "telemetry-kafka", cluster_name="telemetry", kafka_version="3.8.x", number_of_broker_nodes=3, tags=TAGS,
    broker_node_group_info={"instance_type": "kafka.m7g.large", "security_groups": ["sg-kafka"],
                            "client_subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b", "subnet-8c9d0e1f"]},
    encryption_info={"encryption_in_transit": {"client_broker": "TLS", "in_cluster": True}},
    client_authentication={"sasl": {"iam": True}, "unauthenticated": False},
    logging_info={"broker_logs": {"cloudwatch_logs": {"enabled": True, "log_group": kafka_logs.name}}})
# Multi-VPC private connectivity for one partner account.
aws.msk.ClusterPolicy("telemetry-kafka-policy", cluster_arn=kafka.arn, policy=kafka.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [{
        "Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Resource": arn,
        "Action": ["kafka:CreateVpcConnection", "kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2"]}]})))
# A connector reaching that cluster over TLS with IAM, delivering its workers' logs.
aws.mskconnect.Connector(
    "telemetry-sink", name="telemetry-sink", kafkaconnect_version="3.7.x", tags=TAGS,
    service_execution_role_arn="arn:aws:iam::123456789012:role/kafka-connect",
    capacity={"provisioned_capacity": {"mcu_count": 1, "worker_count": 1}},
    connector_configuration={"connector.class": "io.confluent.connect.s3.S3SinkConnector", "topics": "telemetry"},
    kafka_cluster={"apache_kafka_cluster": {"bootstrap_servers": "b-1.telemetry.kafka.us-east-1.amazonaws.com:9098",
                                            "vpc": {"security_groups": ["sg-connect"],
                                                    "subnets": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]}}},
    kafka_cluster_client_authentication={"authentication_type": "IAM"},
    kafka_cluster_encryption_in_transit={"encryption_type": "TLS"},
    plugins=[{"custom_plugin": {"arn": "arn:aws:kafkaconnect:us-east-1:123456789012:custom-plugin/s3-sink/"
                                       "12345678-1234-1234-1234-123456789012-1", "revision": 1}}],
    log_delivery={"worker_log_delivery": {"cloudwatch_logs": {"enabled": True, "log_group": kafka_logs.name}}})
# A replicator copying that cluster's topics to another Region's, delivering its logs.
aws.msk.Replicator(
    "telemetry-replicator", replicator_name="telemetry-replicator", tags=TAGS,
    service_execution_role_arn="arn:aws:iam::123456789012:role/kafka-replicator",
    kafka_clusters=[{"amazon_msk_cluster": {"msk_cluster_arn": kafka.arn},
                     "vpc_config": {"subnet_ids": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                                    "security_groups_ids": ["sg-replicator"]}},
                    {"amazon_msk_cluster": {"msk_cluster_arn": "arn:aws:kafka:us-west-2:123456789012:cluster/backup/"
                                                               "12345678-1234-1234-1234-123456789012-2"},
                     "vpc_config": {"subnet_ids": ["subnet-0b0b0b0b"], "security_groups_ids": ["sg-replicator-west"]}}],
    replication_info_list={
        "source_kafka_cluster_arn": kafka.arn, "target_compression_type": "NONE",
        "target_kafka_cluster_arn": "arn:aws:kafka:us-west-2:123456789012:cluster/backup/"
                                    "12345678-1234-1234-1234-123456789012-2",
        "topic_replications": [{"topics_to_replicates": [".*"]}],
        "consumer_group_replications": [{"consumer_groups_to_replicates": [".*"]}]},
    log_delivery={"replicator_log_delivery": {"cloudwatch_logs": {"enabled": True, "log_group": kafka_logs.name}}})

# A data stream keeping its records encrypted with the account's KMS key, shared with one partner account's reader.
telemetry_stream = aws.kinesis.Stream(
    "device-telemetry", name="device-telemetry", retention_period=24, tags=TAGS,
    stream_mode_details={"stream_mode": "ON_DEMAND"}, encryption_type="KMS",
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012")
aws.kinesis.ResourcePolicy("device-telemetry-policy", resource_arn=telemetry_stream.arn,
                           policy=telemetry_stream.arn.apply(lambda arn: json.dumps({
                               "Version": "2012-10-17", "Statement": [{
                                   "Sid": "PartnerReads", "Effect": "Allow", "Resource": arn,
                                   "Principal": {"AWS": "arn:aws:iam::210987654321:role/telemetry-reader"},
                                   "Action": ["kinesis:DescribeStreamSummary", "kinesis:ListShards",
                                              "kinesis:GetShardIterator", "kinesis:GetRecords"]}]})))

# A Firehose stream that producers write to directly, encrypting what it buffers with the account's KMS key.
aws.kinesis.FirehoseDeliveryStream(
    "telemetry-archive", name="telemetry-archive", destination="extended_s3", tags=TAGS,
    extended_s3_configuration={"role_arn": "arn:aws:iam::123456789012:role/firehose-delivery",
                               "bucket_arn": "arn:aws:s3:::shop-telemetry-archive"},
    server_side_encryption={"enabled": True, "key_type": "CUSTOMER_MANAGED_CMK",
                            "key_arn": "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"})

# A table a destroy cannot delete by mistake, and a bad write can be rolled back in.
aws.dynamodb.Table("orders-table", name="orders", billing_mode="PAY_PER_REQUEST", hash_key="id", tags=TAGS,
                   attributes=[{"name": "id", "type": "S"}], deletion_protection_enabled=True,
                   point_in_time_recovery={"enabled": True})

# A DAX cluster in front of it that encrypts what it caches, and takes TLS connections only.
aws.dax.Cluster("orders-cache", cluster_name="orders-cache", iam_role_arn="arn:aws:iam::123456789012:role/orders-dax",
                node_type="dax.r5.large", replication_factor=3, tags=TAGS, server_side_encryption={"enabled": True},
                cluster_endpoint_encryption_type="TLS")

# A DMS replication instance with a private IP address only, taking new minor engine versions by itself, with a
# standby in another Availability Zone.
DMS_INSTANCE = aws.dms.ReplicationInstance("orders-migration", replication_instance_id="orders-migration",
                                           replication_instance_class="dms.t3.medium", publicly_accessible=False,
                                           tags=TAGS, auto_minor_version_upgrade=True, multi_az=True)
# Its source and target endpoints, reached over TLS.
DMS_SOURCE, DMS_TARGET = (
    aws.dms.Endpoint(f"orders-{side}", endpoint_id=f"orders-{side}", endpoint_type=side, engine_name="postgres",
                     ssl_mode="require", server_name=f"orders-{side}.db.example.com", port=5432,
                     database_name="orders", username="migration", password="placeholder-not-a-secret", tags=TAGS)
    for side in ("source", "target"))
# The task between them, logging what it reads from the source and writes to the target to CloudWatch Logs.
aws.dms.ReplicationTask(
    "orders-copy", replication_task_id="orders-copy", migration_type="full-load-and-cdc", tags=TAGS,
    replication_instance_arn=DMS_INSTANCE.replication_instance_arn, source_endpoint_arn=DMS_SOURCE.endpoint_arn,
    target_endpoint_arn=DMS_TARGET.endpoint_arn,
    table_mappings=json.dumps({"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "orders",
                                          "object-locator": {"schema-name": "public", "table-name": "%"},
                                          "rule-action": "include"}]}),
    replication_task_settings=json.dumps({"Logging": {"EnableLogging": True, "LogComponents": [
        {"Id": component, "Severity": "LOGGER_SEVERITY_DEFAULT"}
        for component in ("SOURCE_UNLOAD", "SOURCE_CAPTURE", "TARGET_LOAD", "TARGET_APPLY")]}}))

# An ActiveMQ broker with no public endpoint, an active/standby pair in two Availability Zones, streaming its audit
# and general logs to CloudWatch Logs and taking new engine versions as Amazon MQ releases them.
aws.mq.Broker("orders-broker", broker_name="orders-broker", engine_type="ActiveMQ", engine_version="5.18",
              host_instance_type="mq.m5.large", publicly_accessible=False, logs={"audit": True, "general": True},
              auto_minor_version_upgrade=True, deployment_mode="ACTIVE_STANDBY_MULTI_AZ", tags=TAGS,
              subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], security_groups=["sg-broker"],
              users=[{"username": "orders", "password": "placeholder-not-a-secret"}])

# EMR block public access on in the region, with port 22 (SSH) as its only exception.
aws.emr.BlockPublicAccessConfiguration("emr-public-access-blocked", block_public_security_group_rules=True,
                                       permitted_public_security_group_rule_ranges=[{"min_range": 22,
                                                                                     "max_range": 22}])
# An EMR security configuration that encrypts at rest (EMRFS on S3, local disks under a KMS key) and in transit, and
# a cluster that uses it.
EMR_SECURITY = aws.emr.SecurityConfiguration("emr-encrypted", name="emr-encrypted", configuration=json.dumps({
    "EncryptionConfiguration": {
        "EnableAtRestEncryption": True, "EnableInTransitEncryption": True,
        "AtRestEncryptionConfiguration": {
            "S3EncryptionConfiguration": {"EncryptionMode": "SSE-S3"},
            "LocalDiskEncryptionConfiguration": {
                "EncryptionKeyProviderType": "AwsKms",
                "AwsKmsKey": "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"}},
        "InTransitEncryptionConfiguration": {"TLSCertificateConfiguration": {
            "CertificateProviderType": "PEM", "S3Object": "s3://emr-config-123456789012/certs.zip"}}}}))
aws.emr.Cluster("analytics", name="analytics", release_label="emr-7.5.0", applications=["Spark"],
                service_role="arn:aws:iam::123456789012:role/EMR_DefaultRole",
                security_configuration=EMR_SECURITY.name, tags=TAGS,
                master_instance_group={"instance_type": "m5.xlarge"},
                core_instance_group={"instance_type": "m5.xlarge", "instance_count": 2},
                ec2_attributes={"instance_profile": "arn:aws:iam::123456789012:instance-profile/EMR_EC2",
                                "subnet_id": "subnet-0a1b2c3d4e5f60001"})

# A partner SFTP server (no plain FTP).
aws.transfer.Server("partner-sftp", protocols=["SFTP"], tags=TAGS)
# A connector to a partner's SFTP server that logs to CloudWatch.
aws.transfer.Connector("partner-outbound", url="sftp://sftp.partner.example.com",
                       access_role="arn:aws:iam::123456789012:role/partner-transfer",
                       logging_role="arn:aws:iam::123456789012:role/partner-transfer-logs", tags=TAGS,
                       sftp_config={"trusted_host_keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKey"],
                                    "user_secret_id": "arn:aws:secretsmanager:us-east-1:123456789012:secret:partner"})

# An Elastic Beanstalk environment with enhanced health, weekly minor and patch platform updates and its instances'
# logs streamed to CloudWatch Logs.
aws.elasticbeanstalk.Environment(
    "storefront-web", application="storefront", tags=TAGS,
    solution_stack_name="64bit Amazon Linux 2023 v4.3.0 running Python 3.12", settings=[
        {"namespace": "aws:elasticbeanstalk:healthreporting:system", "name": "SystemType", "value": "enhanced"},
        {"namespace": "aws:elasticbeanstalk:managedactions", "name": "ManagedActionsEnabled", "value": "true"},
        {"namespace": "aws:elasticbeanstalk:managedactions", "name": "PreferredStartTime", "value": "Sun:03:00"},
        {"namespace": "aws:elasticbeanstalk:managedactions:platformupdate", "name": "UpdateLevel", "value": "minor"},
        {"namespace": "aws:elasticbeanstalk:cloudwatch:logs", "name": "StreamLogs", "value": "true"},
        {"namespace": "aws:elasticbeanstalk:cloudwatch:logs", "name": "RetentionInDays", "value": "365"}])

# A Redshift Serverless namespace and its workgroup, which has no public address, takes SSL connections only and
# routes COPY and UNLOAD traffic through the VPC; the namespace is encrypted with a customer managed key, has an
# admin user of its own name and exports its connection and user logs to CloudWatch Logs.
aws.redshiftserverless.Namespace("orders-warehouse", namespace_name="orders-warehouse", tags=TAGS,
                                 kms_key_id="arn:aws:kms:us-east-1:123456789012:key/orders-warehouse",
                                 admin_username="orders_owner", manage_admin_password=True,
                                 log_exports=["connectionlog", "userlog"])
aws.redshiftserverless.Workgroup("orders-analytics", workgroup_name="orders-analytics",
                                 namespace_name="orders-warehouse", publicly_accessible=False, tags=TAGS,
                                 enhanced_vpc_routing=True,
                                 config_parameters=[{"parameter_key": "require_ssl", "parameter_value": "true"}],
                                 subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002",
                                             "subnet-0a1b2c3d4e5f60003"], security_group_ids=["sg-warehouse"])

# A private notebook instance encrypted with a customer managed key, an isolated model, an endpoint configuration
# whose variant runs two instances, a sealed data quality monitor with its schedule, and a schedule with a sealed
# two-instance job definition of its own.
SAGEMAKER_ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
SAGEMAKER_KEY = "arn:aws:kms:us-east-1:123456789012:key/5c1d7e8f-0a1b-4c2d-9e3f-4a5b6c7d8e9f"
MONITOR_IMAGE = {"image_uri": "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"}
MONITOR_OUTPUT = {"monitoring_outputs": {"s3_output": {"s3_uri": "s3://model-monitor/reports"}}}
SEALED_MONITOR = {"enable_network_isolation": True, "enable_inter_container_traffic_encryption": True}
HOURLY = {"schedule_expression": "cron(0 * ? * * *)"}
aws.sagemaker.NotebookInstance("churn-notebook", name="churn-notebook", instance_type="ml.t3.medium",
                               role_arn=SAGEMAKER_ROLE, direct_internet_access="Disabled", root_access="Disabled",
                               subnet_id="subnet-0a1b2c3d4e5f60001", security_groups=["sg-notebooks"],
                               platform_identifier="notebook-al2023-v1", kms_key_id=SAGEMAKER_KEY, tags=TAGS)
aws.sagemaker.Model("churn-model", name="churn-model", execution_role_arn=SAGEMAKER_ROLE, enable_network_isolation=True,
                    tags=TAGS, primary_container={"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"})
aws.sagemaker.EndpointConfiguration("churn-endpoint", name="churn-endpoint", tags=TAGS, production_variants=[{
    "variant_name": "primary", "model_name": "churn-model", "instance_type": "ml.m5.large",
    "initial_instance_count": 2}])
aws.sagemaker.DataQualityJobDefinition(
    "churn-quality", name="churn-quality", role_arn=SAGEMAKER_ROLE, tags=TAGS,
    data_quality_app_specification=MONITOR_IMAGE,
    data_quality_job_input={"endpoint_input": {"endpoint_name": "churn-endpoint"}},
    data_quality_job_output_config=MONITOR_OUTPUT,
    job_resources={"cluster_config": {"instance_count": 1, "instance_type": "ml.m5.large", "volume_size_in_gb": 20}},
    network_config=SEALED_MONITOR)
aws.sagemaker.MonitoringSchedule("churn-monitor", name="churn-monitor", tags=TAGS, monitoring_schedule_config={
    "monitoring_type": "DataQuality", "monitoring_job_definition_name": "churn-quality", "schedule_config": HOURLY})
aws.sagemaker.MonitoringSchedule(
    "churn-inline-monitor", name="churn-inline-monitor", tags=TAGS, monitoring_schedule_config={
        "monitoring_type": "DataQuality", "schedule_config": HOURLY, "monitoring_job_definition": {
            "role_arn": SAGEMAKER_ROLE, "monitoring_app_specification": MONITOR_IMAGE,
            "monitoring_inputs": {"endpoint_input": {"endpoint_name": "churn-endpoint"}},
            "monitoring_output_config": MONITOR_OUTPUT, "network_config": SEALED_MONITOR,
            "monitoring_resources": {"cluster_config": {"instance_count": 2, "instance_type": "ml.m5.large",
                                                        "volume_size_in_gb": 20}}}})

# A target group that checks its targets over HTTPS.
aws.lb.TargetGroup("orders-targets", name="orders-targets", target_type="ip", protocol="HTTPS", port=8443,
                   vpc_id="vpc-0a1b2c3d4e5f60001", tags=TAGS, health_check={"protocol": "HTTPS", "path": "/health"})

# A feature group whose offline and standard online stores encrypt under a customer managed key.
aws.sagemaker.FeatureGroup(
    "churn-features", feature_group_name="churn-features", role_arn=SAGEMAKER_ROLE, tags=TAGS,
    record_identifier_feature_name="customer_id", event_time_feature_name="event_time",
    feature_definitions=[{"feature_name": "customer_id", "feature_type": "String"},
                         {"feature_name": "event_time", "feature_type": "String"}],
    offline_store_config={"s3_storage_config": {"s3_uri": "s3://churn-features/offline",
                                                "kms_key_id": SAGEMAKER_KEY}},
    online_store_config={"enable_online_store": True, "security_config": {"kms_key_id": SAGEMAKER_KEY}})

# A DocumentDB cluster that encrypts its storage, is protected from deletion, keeps two weeks of backups and
# exports the audit log its parameter group writes; the group takes TLS 1.2 or later only.
orders_docdb_params = aws.docdb.ClusterParameterGroup("orders-docdb-params", name="orders-docdb-params",
                                                      family="docdb5.0", tags=TAGS,
                                                      parameters=[{"name": "audit_logs", "value": "all"},
                                                                  {"name": "tls", "value": "tls1.2+"}])
aws.docdb.Cluster("orders-docdb", cluster_identifier="orders-docdb", engine="docdb", engine_version="5.0.0",
                  master_username="orders", manage_master_user_password=True, storage_encrypted=True,
                  deletion_protection=True, backup_retention_period=14, enabled_cloudwatch_logs_exports=["audit"],
                  db_cluster_parameter_group_name=orders_docdb_params.name, vpc_security_group_ids=["sg-docdb"],
                  tags=TAGS)

# A private Redshift cluster (encrypted by default) that requires SSL, keeps a week of snapshots, routes COPY and
# UNLOAD through the VPC, avoids the default admin and database names, runs in two zones and writes its audit logs to
# CloudWatch Logs; its subnet group holds private subnets of the stack in three zones (the Management Guide's Multi-AZ
# limitations ask a Multi-AZ cluster's group for three or more subnets in different zones).
warehouse_subnets = [files_subnet] + [
    aws.ec2.Subnet(f"sales-warehouse-subnet-{zone}", vpc_id="vpc-0123456789abcdef0", cidr_block=cidr,
                   availability_zone=f"us-east-1{zone}", tags=TAGS)
    for zone, cidr in (("b", "10.0.41.0/24"), ("c", "10.0.42.0/24"))]
aws.redshift.SubnetGroup("sales-warehouse-subnets", name="sales-warehouse", tags=TAGS,
                         subnet_ids=[subnet.id for subnet in warehouse_subnets])
warehouse_params = aws.redshift.ParameterGroup("sales-warehouse-params", name="sales-warehouse",
                                               family="redshift-2.0", tags=TAGS,
                                               parameters=[{"name": "require_ssl", "value": "true"}])
warehouse = aws.redshift.Cluster("sales-warehouse", cluster_identifier="sales-warehouse", node_type="ra3.xlplus",
                                 number_of_nodes=2, multi_az=True, database_name="orders",
                                 master_username="orders_admin", manage_master_password=True,
                                 publicly_accessible=False, enhanced_vpc_routing=True,
                                 automated_snapshot_retention_period=7,
                                 cluster_parameter_group_name=warehouse_params.name,
                                 cluster_subnet_group_name="sales-warehouse", vpc_security_group_ids=["sg-warehouse"],
                                 tags=TAGS)
aws.redshift.Logging("sales-warehouse-logging", cluster_identifier=warehouse.cluster_identifier,
                     log_destination_type="cloudwatch", log_exports=["connectionlog", "userlog", "useractivitylog"])

# A Glue Spark ETL job on a version of AWS Glue that AWS supports.
aws.glue.Job("orders-etl", name="orders-etl", role_arn="arn:aws:iam::123456789012:role/orders-etl", tags=TAGS,
             glue_version="5.0", command={"name": "glueetl", "script_location": "s3://orders-etl-scripts/etl.py"})

# A DataSync task that logs each transfer's errors to a log group of its own.
aws.datasync.Task("orders-archive-sync", name="orders-archive-sync", tags=TAGS,
                  source_location_arn="arn:aws:datasync:us-east-1:123456789012:location/loc-0a1b2c3d4e5f60001",
                  destination_location_arn="arn:aws:datasync:us-east-1:123456789012:location/loc-0a1b2c3d4e5f60002",
                  cloudwatch_log_group_arn="arn:aws:logs:us-east-1:123456789012:log-group:/datasync/orders-archive",
                  options={"log_level": "BASIC"})

# An FSx for OpenZFS file system whose file servers span two Availability Zones.
aws.fsx.OpenZfsFileSystem("orders-files", deployment_type="MULTI_AZ_1", storage_capacity=64, throughput_capacity=160,
                          subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                          preferred_subnet_id="subnet-0a1b2c3d4e5f60001", security_group_ids=["sg-files"], tags=TAGS)

# A WorkSpace whose user and root volumes are encrypted with WorkSpaces' AWS managed key.
aws.workspaces.Workspace("support-desk", directory_id="d-0123456789", bundle_id="wsb-0123456789",
                         user_name="support", user_volume_encryption_enabled=True, root_volume_encryption_enabled=True,
                         volume_encryption_key="alias/aws/workspaces", tags=TAGS)

# A device policy that lets each device use its own client id and topics only.
aws.iot.Policy("device-policy", name="device-policy", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect",
         "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"},
        {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/devices/${iot:Connection.Thing.ThingName}/*"}]}))
# AWS IoT's logs on for the account's region: warnings and errors.
aws.iot.LoggingOptions("iot-logging", default_log_level="WARN", role_arn="arn:aws:iam::123456789012:role/iot-logging")
# A rule that sends device telemetry to a queue, and what its action fails on to another.
RULE_QUEUES = "https://sqs.us-east-1.amazonaws.com/123456789012/"
RULE_ROLE = {"role_arn": "arn:aws:iam::123456789012:role/iot-rules", "use_base64": False}
aws.iot.TopicRule("telemetry-rule", name="telemetry_rule", enabled=True, sql="SELECT * FROM 'devices/+/telemetry'",
                  sql_version="2016-03-23", tags=TAGS, sqs=[{"queue_url": f"{RULE_QUEUES}telemetry", **RULE_ROLE}],
                  error_action={"sqs": {"queue_url": f"{RULE_QUEUES}telemetry-failed", **RULE_ROLE}})

# A workflow that logs its errors to a log group.
aws.sfn.StateMachine("orders-workflow", name="orders-workflow", role_arn="arn:aws:iam::123456789012:role/workflow",
                     definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}), tags=TAGS,
                     logging_configuration={
                         "level": "ERROR", "include_execution_data": False,
                         "log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:/shop/orders-workflow:*"})

# A transit gateway whose shared attachments wait for the owner's acceptance.
aws.ec2transitgateway.TransitGateway("core-tgw", auto_accept_shared_attachments="disable", tags=TAGS)

# A Client VPN endpoint for the support team that logs every client connection to CloudWatch Logs.
aws.ec2clientvpn.Endpoint(
    "support-vpn", description="support", client_cidr_block="10.100.0.0/22", tags=TAGS,
    server_certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-support-vpn",
    authentication_options=[{"type": "certificate-authentication",
                             "root_certificate_chain_arn": "arn:aws:acm:us-east-1:123456789012:certificate/"
                                                           "0a1b2c3d-support-clients"}],
    connection_log_options={"enabled": True, "cloudwatch_log_group": "/shop/support-vpn"})

# A Site-to-Site VPN to the warehouse office whose two tunnels both log to CloudWatch Logs.
WAREHOUSE_VPN_LOGS = {"cloudwatch_log_options": {
    "log_enabled": True, "log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:/shop/warehouse-vpn"}}
aws.ec2.VpnConnection("warehouse-office-vpn", customer_gateway_id="cgw-0a1b2c3d4e5f60001", type="ipsec.1",
                      vpn_gateway_id="vgw-0a1b2c3d4e5f60001", static_routes_only=True, tags=TAGS,
                      tunnel1_log_options=WAREHOUSE_VPN_LOGS, tunnel2_log_options=WAREHOUSE_VPN_LOGS)

# A Command document shared with one named account only.
aws.ssm.Document("restart-agent", name="restart-agent", document_type="Command", tags=TAGS,
                 content=json.dumps({"schemaVersion": "2.2", "description": "Restart the agent.", "mainSteps": [
                     {"action": "aws:runShellScript", "name": "restart",
                      "inputs": {"runCommand": ["systemctl restart agent"]}}]}),
                 permissions={"type": "Share", "account_ids": "111122223333"})

# A build project whose source is connected through CodeConnections, not a credential in its URL.
aws.codebuild.Project(
    "orders-image-build", name="orders-image-build", service_role="arn:aws:iam::123456789012:role/codebuild-service",
    tags=TAGS, artifacts={"type": "NO_ARTIFACTS"},
    source={"type": "GITHUB", "location": "https://github.com/shop/orders.git",
            "auth": {"type": "CODECONNECTIONS", "resource": "arn:aws:codeconnections:us-east-1:123456789012:"
                                                            "connection/12345678-1234-1234-1234-123456789012"}},
    environment={"compute_type": "BUILD_GENERAL1_SMALL", "type": "LINUX_CONTAINER",
                 "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0"})

# An event bus the organization's accounts may put events on, and no one else.
orders_bus = aws.cloudwatch.EventBus("orders-bus", name="orders-bus", tags=TAGS)
aws.cloudwatch.EventBusPolicy("orders-bus-policy", event_bus_name=orders_bus.name, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{
        "Sid": "OrgPutsEvents", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}}]}))
# A global endpoint over that bus in two regions, replicating its events (EventBridge's default, written out).
aws.cloudwatch.EventEndpoint(
    "orders-endpoint", name="orders-endpoint", role_arn="arn:aws:iam::123456789012:role/orders-endpoint-replication",
    event_buses=[{"event_bus_arn": f"arn:aws:events:{region}:123456789012:event-bus/orders-bus"}
                 for region in ("us-east-1", "us-west-2")],
    routing_config={"failover_config": {
        "primary": {"health_check": "arn:aws:route53:::healthcheck/0a1b2c3d-4e5f-6789-abcd-ef0123456789"},
        "secondary": {"route": "us-west-2"}}},
    replication_config={"state": "ENABLED"})

# A secret under the account's KMS key, rotated monthly, readable within the organization only.
token = aws.secretsmanager.Secret(
    "partner-api-token", name="partner-api-token", tags=TAGS,
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012")
aws.secretsmanager.SecretRotation("partner-api-token-rotation", secret_id=token.id,
                                  rotation_lambda_arn="arn:aws:lambda:us-east-1:123456789012:function:rotate-token",
                                  rotation_rules={"automatically_after_days": 30})
aws.secretsmanager.SecretPolicy("partner-api-token-policy", secret_arn=token.arn, block_public_policy=True,
                                policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                                    "Sid": "OrgReads", "Effect": "Allow", "Principal": "*",
                                    "Action": "secretsmanager:GetSecretValue", "Resource": "*",
                                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}}]}))

# A GraphQL API that logs its resolvers' errors.
aws.appsync.GraphQLApi("orders-graphql", name="orders_graphql", authentication_type="AWS_IAM", tags=TAGS,
                       log_config={"field_log_level": "ERROR",
                                   "cloudwatch_logs_role_arn": "arn:aws:iam::123456789012:role/appsync-logs"})
# An Event API that logs its handlers' errors, and authorizes callers by IAM.
orders_events = aws.appsync.Api("orders-events", name="orders-events", tags=TAGS, event_config={
    **{modes: [{"auth_type": "AWS_IAM"}] for modes in ("auth_providers", "connection_auth_modes",
                                                       "default_publish_auth_modes", "default_subscribe_auth_modes")},
    "log_config": {"log_level": "ERROR", "cloudwatch_logs_role_arn": "arn:aws:iam::123456789012:role/appsync-logs"}})
aws.appsync.ChannelNamespace("orders-events-ns", name="orders", api_id=orders_events.api_id, tags=TAGS,
                             publish_auth_modes=[{"auth_type": "AWS_IAM"}])

# A workgroup that encrypts its query results under a KMS key and keeps queries from overriding that.
aws.athena.Workgroup("telemetry-queries", name="telemetry-queries", tags=TAGS, configuration={
    "enforce_workgroup_configuration": True, "publish_cloudwatch_metrics_enabled": True,
    "result_configuration": {"output_location": "s3://telemetry-query-results/athena/", "encryption_configuration": {
        "encryption_option": "SSE_KMS",
        "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"}}})

# The Region's GuardDuty detector, running, with S3 Protection on.
threat_detection = aws.guardduty.Detector("threat-detection", enable=True, tags=TAGS)
aws.guardduty.DetectorFeature("threat-detection-s3", detector_id=threat_detection.id, name="S3_DATA_EVENTS",
                              status="ENABLED")

# Amazon Inspector scanning every resource type Security Hub asks for.
aws.inspector2.Enabler("vulnerability-scanning", account_ids=["123456789012"],
                       resource_types=["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"])

# Amazon Macie, running.
aws.macie2.Account("data-discovery", status="ENABLED", finding_publishing_frequency="FIFTEEN_MINUTES")
