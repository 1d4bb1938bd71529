"""Elastic Load Balancing guardrails: access logs, header hygiene, TLS floors, no public door around API Gateway,
deletion protection and more than one Availability Zone.

pulumi-aws registers the same resources under `aws:lb/*` and `aws:alb/*`; both tokens are covered.
"""

LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
# A Classic Load Balancer: its own resource, with `internal` and `securityGroups` as the others have them.
CLASSIC_LOAD_BALANCER = "aws:elb/loadBalancer:LoadBalancer"
# A Classic Load Balancer's TLS negotiation: one resource per listener, or a policy the listener names.
CLASSIC_SSL_NEGOTIATION = "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
CLASSIC_POLICY = "aws:elb/loadBalancerPolicy:LoadBalancerPolicy"
CLASSIC_LISTENER_POLICY = "aws:elb/listenerPolicy:ListenerPolicy"
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
LISTENER_RULES = ("aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule")
TARGET_GROUPS = ("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")
