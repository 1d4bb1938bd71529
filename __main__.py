"""service-mesh-platform: one environment's service mesh, compute and public API per stack."""
import pulumi

from components.config import load_config
from components.platform import Platform
from components.tagging import register_default_tags, register_permissions_boundary, retain_app_mesh_on_delete

# The oldest CLI that runs this program as written: a canary's listener rule needs `replaceWith` (engine 3.207.0;
# older ones stop), a Service Connect service's `replacement_trigger` 3.208.0 (older ones drop it silently, and a
# changed protocol is then tried in place, which ECS refuses), and this check itself 3.217.0 (older ones stop with
# "does not support the `RequirePulumiVersion` RPC"). README, "Use a Pulumi CLI ...".
pulumi.require_pulumi_version(">=3.217.0")

# Validate the whole stack config before any resource is declared.
config = load_config()
register_default_tags(config.tags)
if config.permissions_boundary is not None:
    register_permissions_boundary(config.permissions_boundary)
if config.mesh.retire_app_mesh:
    retain_app_mesh_on_delete()

platform = Platform(config.environment, config)

pulumi.export("environment", config.environment)
pulumi.export("dataPlane", config.mesh.data_plane)
pulumi.export("namespace", platform.namespace)
pulumi.export("vpcId", platform.network.vpc_id)
pulumi.export("clusterName", platform.compute.cluster_name)
for key, value in platform.data_plane.outputs.items():
    pulumi.export(key, value)
pulumi.export("pagingTopicArn", platform.observability.paging_topic_arn)
pulumi.export("ticketTopicArn", platform.observability.ticket_topic_arn)
pulumi.export("dashboardName", platform.observability.dashboard_name)
# The overview first, then those the services continue on when they outgrow it (components/dashboards.py).
pulumi.export("dashboardNames", platform.observability.dashboard_names)
if platform.egress.firewall_endpoint_ids is not None:
    # Network Firewall endpoint per firewall subnet: a brought VPC's owner routes each AZ's traffic to its own.
    pulumi.export("firewallEndpointIds", platform.egress.firewall_endpoint_ids)
if platform.audit.archive is not None:
    pulumi.export("auditTrailArn", platform.audit.archive.trail_arn)
    pulumi.export("auditArchiveBucket", platform.audit.archive.bucket_name)
if platform.audit.access_log_bucket is not None:
    pulumi.export("accessLogBucket", platform.audit.access_log_bucket.bucket_name)
if platform.api_invoke_url is not None:
    pulumi.export("apiInvokeUrl", platform.api_invoke_url)
if platform.api is not None and platform.api.domain_target is not None:
    # No hosted zone is configured: point the custom domain's DNS (an alias or CNAME) at this target.
    pulumi.export("apiDomainTarget", platform.api.domain_target)
    pulumi.export("apiDomainZoneId", platform.api.domain_zone_id)
    # The 5xx-rate alarm as Route 53 copies it: the global layer's regions[].apiHealthAlarm (its health check's
    # trigger), so a changed alarm reaches the health check.
    pulumi.export("apiHealthAlarm", platform.api.health_alarm)
if platform.api is not None and platform.api.user_pool_arn is not None:
    # A second region's stack behind the same name takes it as api.auth.userPoolArn (docs/failover.md).
    pulumi.export("userPoolArn", platform.api.user_pool_arn)
if platform.api_key_ids is not None:
    # Key ids let an operator fetch a key value; keep them out of plain-text stack outputs.
    pulumi.export("apiKeyIds", pulumi.Output.secret(platform.api_key_ids))
if platform.http_api is not None:
    pulumi.export("deviceHttpUrl", platform.http_api.invoke_url)
if platform.websocket_api is not None:
    pulumi.export("deviceWebsocketUrl", platform.websocket_api.invoke_url)
    if platform.websocket_api.domain_target is not None:
        # Where the devices' custom domain points (an alias, or a CNAME where no zone is configured).
        pulumi.export("deviceWebsocketDomainTarget", platform.websocket_api.domain_target)
        pulumi.export("deviceWebsocketDomainZoneId", platform.websocket_api.domain_zone_id)
    pulumi.export("deviceConnectionTable", platform.websocket_api.connection_table_name)
if platform.tenants is not None:
    pulumi.export("tenantApiKeyIds", platform.tenants.api_key_ids)
