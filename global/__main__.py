"""service-mesh-platform-global: the API domain across regions (Route 53 records, health checks, certificates)."""
import pulumi

from components.edge import GlobalEdge, load_edge_config
from components.tagging import register_default_tags

config = load_edge_config()
register_default_tags(config.tags)

edge = GlobalEdge("edge", config)

pulumi.export("domain", config.domain)
# Each regional stack's api.domain.certificateArn.
pulumi.export("certificateArns", edge.certificate_arns)
pulumi.export("healthCheckIds", edge.health_check_ids)
