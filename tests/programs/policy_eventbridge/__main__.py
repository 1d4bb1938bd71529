"""Raw EventBridge buses: one whose policy lets the organization's accounts put events, one open to every account,
the default bus opened by a permission without a condition, and permissions for one account or the organization.
A document another resource gives, known only after the update, is not judged. A custom bus with no policy at all,
and a partner bus, which takes none. Global endpoints: one that does not replicate its events, one that does, and
one that leaves it to EventBridge's default (ENABLED)."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}


def put_events(condition=None):
    statement = {"Sid": "PutEvents", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents",
                 "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, **({"Condition": condition} if condition
                                                                                else {})}]})


orders = aws.cloudwatch.EventBus("orders-bus", name="orders-bus", tags=TAGS)
aws.cloudwatch.EventBusPolicy("orders-bus-policy", event_bus_name=orders.name,
                              policy=put_events({"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}))
shared = aws.cloudwatch.EventBus("shared-bus", name="shared-bus", tags=TAGS)
aws.cloudwatch.EventBusPolicy("shared-bus-policy", event_bus_name=shared.name, policy=put_events())
# The default bus, which no program creates.
aws.cloudwatch.EventPermission("anyone-default", principal="*", statement_id="AnyoneDefault")
aws.cloudwatch.EventPermission("partner-account", principal="210987654321", statement_id="PartnerAccount",
                               event_bus_name=orders.name)
aws.cloudwatch.EventPermission("organization", principal="*", statement_id="Organization", event_bus_name=orders.name,
                               condition={"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": "o-abc123def4"})
# Every account on a bus named by its id (unknown in a first preview).
audit = aws.cloudwatch.EventBus("audit-bus", name="audit", tags=TAGS)
aws.cloudwatch.EventPermission("anyone-audit", principal="*", statement_id="AnyoneAudit", event_bus_name=audit.id)
# A document known only after the update.
later = aws.cloudwatch.EventBus("later-bus", name="later-bus", tags=TAGS)
aws.cloudwatch.EventBusPolicy("later-bus-policy", event_bus_name=later.name,
                              policy=later.arn.apply(lambda arn: put_events(
                                  {"StringEquals": {"aws:PrincipalAccount": arn.split(":")[4]}})))
# No policy at all: only IAM policies say who may use it.
aws.cloudwatch.EventBus("bare-bus", name="bare-bus", tags=TAGS)
# A partner bus, named for its partner event source: PutPermission takes no partner bus.
partner_source = "aws.partner/saas.example.com/123456789012/orders"
aws.cloudwatch.EventBus("partner-bus", name=partner_source, event_source_name=partner_source, tags=TAGS)


def endpoint(name, **args):
    """A global endpoint over the orders bus in us-east-1 and us-west-2, failing over by a Route 53 health check."""
    buses = [{"event_bus_arn": f"arn:aws:events:{region}:123456789012:event-bus/orders-bus"}
             for region in ("us-east-1", "us-west-2")]
    routing = {"failover_config": {
        "primary": {"health_check": "arn:aws:route53:::healthcheck/0a1b2c3d-4e5f-6789-abcd-ef0123456789"},
        "secondary": {"route": "us-west-2"}}}
    return aws.cloudwatch.EventEndpoint(name, name=name, event_buses=buses, routing_config=routing, **args)


REPLICATION_ROLE = "arn:aws:iam::123456789012:role/orders-endpoint-replication"
endpoint("unreplicated-endpoint", replication_config={"state": "DISABLED"})
endpoint("replicated-endpoint", replication_config={"state": "ENABLED"}, role_arn=REPLICATION_ROLE)
endpoint("default-endpoint", role_arn=REPLICATION_ROLE)
