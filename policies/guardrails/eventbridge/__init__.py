"""EventBridge guardrails: no event bus that every AWS account may put events on (or manage or read the rules of),
and a resource policy on every custom bus; global endpoints that replicate their events."""

EVENT_BUS = "aws:cloudwatch/eventBus:EventBus"
# A bus's resource policy, which replaces whatever it had (PutPermission with a Policy).
EVENT_BUS_POLICY = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
# One statement of a bus's policy (PutPermission with a Principal, an optional Condition).
EVENT_PERMISSION = "aws:cloudwatch/eventPermission:EventPermission"
# A global endpoint: two buses of one name in two regions, with failover by a Route 53 health check.
EVENT_ENDPOINT = "aws:cloudwatch/eventEndpoint:EventEndpoint"
