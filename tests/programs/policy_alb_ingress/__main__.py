"""Raw ingress from API Gateway to load balancers: an internet-facing ALB behind a private integration, weak or
default TLS policies, HTTP that serves instead of redirecting (by default or through a listener rule), headers not
dropped, no WAF web ACL on an internet-facing ALB, a VPC link V1, a VPC link V2 integration that skips certificate
verification, load balancers without deletion protection or in one subnet; plus the intended shape (REST API ->
VPC link V2 -> internal ALB with a TLS 1.3 listener, deletion protection, two subnets)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SUBNETS = ["subnet-a", "subnet-b"]
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b3c2a4e-1111-2222-3333-444455556666"


def alb(name, kind=aws.lb.LoadBalancer, **args):
    settings = {"internal": True, "load_balancer_type": "application", "security_groups": ["sg-alb"],
                "subnets": SUBNETS, "drop_invalid_header_fields": True, "enable_deletion_protection": True,
                "access_logs": {"enabled": True, "bucket": "policy-tests-lb-logs", "prefix": name}}
    settings.update(args)
    return kind(name, name=name, tags=TAGS, **{k: v for k, v in settings.items() if v is not None})


FORWARD = [{"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "404"}}]


def listener(name, lb, protocol, port, actions=FORWARD, **args):
    return aws.lb.Listener(name, load_balancer_arn=lb.arn, protocol=protocol, port=port, default_actions=actions,
                           tags=TAGS, **args)


internal_alb = alb("internal-alb")
# Only logs what an HTTP desync could use (request smuggling); ELB's default, defensive, blocks it.
alb("monitor-alb", desync_mitigation_mode="monitor")
tls13 = listener("tls13-listener", internal_alb, "HTTPS", 443, certificate_arn=CERTIFICATE,
                 ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
redirect = listener("redirect-listener", internal_alb, "HTTP", 80, actions=[
    {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}])
listener("old-tls-listener", internal_alb, "HTTPS", 8443, certificate_arn=CERTIFICATE,
         ssl_policy="ELBSecurityPolicy-2016-08")
listener("default-tls-listener", internal_alb, "HTTPS", 9443, certificate_arn=CERTIFICATE)
listener("plain-http-listener", internal_alb, "HTTP", 8080)
# The provider takes the protocol in any case, and without one makes a listener on an application load balancer
# HTTP (here an ALB from another stack, by its ARN, so a first preview knows its type too).
listener("lowercase-tls-listener", internal_alb, "https", 10443, certificate_arn=CERTIFICATE,
         ssl_policy="ELBSecurityPolicy-2016-08")
listener("lowercase-redirect-listener", internal_alb, "http", 81, actions=[
    {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}])
# No protocol on an ALB of the stack: HTTP, told by an ARN unknown in a first preview; redirecting, it passes anyway.
aws.lb.Listener("no-protocol-redirect-listener", load_balancer_arn=internal_alb.arn, port=82, tags=TAGS,
                default_actions=[{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443",
                                                                   "status_code": "HTTP_301"}}])
SHARED_ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shared/0123456789abcdef"
aws.lb.Listener("no-protocol-listener", load_balancer_arn=SHARED_ALB, port=8081, default_actions=FORWARD, tags=TAGS)

# Listener rules: plain HTTP that redirects by default but serves /api/* through a rule (the aws:alb alias), a
# rule that only redirects elsewhere on HTTPS, and a forward on the HTTPS listener.
TARGETS = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/0123456789abcdef"
API_PATHS = [{"path_pattern": {"values": ["/api/*"]}}]
aws.alb.ListenerRule("plain-api-rule", listener_arn=redirect.arn, priority=10, conditions=API_PATHS, tags=TAGS,
                     actions=[{"type": "forward", "target_group_arn": TARGETS}])
aws.lb.ListenerRule("moved-redirect-rule", listener_arn=redirect.arn, priority=20, tags=TAGS,
                    conditions=[{"path_pattern": {"values": ["/v1/*"]}}],
                    actions=[{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "path": "/v2/#{path}",
                                                               "status_code": "HTTP_301"}}])
aws.lb.ListenerRule("tls-api-rule", listener_arn=tls13.arn, priority=10, conditions=API_PATHS, tags=TAGS,
                    actions=[{"type": "forward", "target_group_arn": TARGETS}])

# Internet-facing, keeps malformed headers, has no WAF web ACL, and yet API Gateway reaches it privately.
bypass_alb = alb("bypass-alb", internal=False, drop_invalid_header_fields=None)
# Internet-facing (by default, through the aws:alb alias) behind a WAF web ACL made elsewhere.
public_alb = alb("public-alb", kind=aws.alb.LoadBalancer, internal=None, load_balancer_type=None)
aws.wafv2.WebAclAssociation("public-alb-waf", resource_arn=public_alb.arn,
                            web_acl_arn="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/0123abcd")
nlb = aws.lb.LoadBalancer("legacy-nlb", name="legacy-nlb", internal=True, load_balancer_type="network",
                          subnets=SUBNETS, tags=TAGS, access_logs={"enabled": True, "bucket": "policy-tests-lb-logs"},
                          enable_deletion_protection=True)
# Deletion protection and zones: a network load balancer left deletable in one subnet (ELB takes one per zone, so
# one zone), a gateway load balancer in two subnets through subnetMappings with deletion protection left out, and
# one whose subnets and setting come from another resource's output (unknown in a first preview).
LB_LOGS = {"enabled": True, "bucket": "policy-tests-lb-logs"}
aws.lb.LoadBalancer("single-az-nlb", name="single-az-nlb", internal=True, load_balancer_type="network",
                    subnets=["subnet-a"], enable_deletion_protection=False, tags=TAGS, access_logs=LB_LOGS)
aws.lb.LoadBalancer("inspection-gwlb", name="inspection-gwlb", load_balancer_type="gateway", tags=TAGS,
                    subnet_mappings=[{"subnet_id": subnet} for subnet in SUBNETS])
fed = nlb.id.apply
aws.lb.LoadBalancer("fed-nlb", name="fed-nlb", internal=True, load_balancer_type="network", tags=TAGS,
                    subnets=[fed(lambda _: "subnet-a"), fed(lambda _: "subnet-b")],
                    enable_deletion_protection=fed(lambda _: True), access_logs=LB_LOGS)

api = aws.apigateway.RestApi("api", name="shop", tags=TAGS, endpoint_configuration={"types": "REGIONAL"},
                             security_policy="TLS_1_2")
link_v2 = aws.apigatewayv2.VpcLink("link-v2", name="shop", subnet_ids=SUBNETS, security_group_ids=["sg-link"],
                                   tags=TAGS)
link_v1 = aws.apigateway.VpcLink("link-v1", name="shop-legacy", target_arn=nlb.arn, tags=TAGS)


def integration(name, uri, **args):
    return aws.apigateway.Integration(name, rest_api=api.id, resource_id=api.root_resource_id, http_method="GET",
                                      type="HTTP_PROXY", integration_http_method="GET", connection_type="VPC_LINK",
                                      uri=uri, **args)


integration("v2-integration", "https://orders.shop.example.com/orders", connection_id=link_v2.id,
            integration_target=internal_alb.arn)
integration("bypass-integration", "https://orders.shop.example.com/bypass", connection_id=link_v2.id,
            integration_target=bypass_alb.arn)
integration("v1-integration", "https://legacy.shop.internal/orders", connection_id=link_v1.id)
# The host is a privateCaHosts exception, but a VPC link V2 reaches an ALB that can present a public certificate.
integration("v2-skip-verify-integration", "https://gateway.shop.internal/orders", connection_id=link_v2.id,
            integration_target=internal_alb.arn, tls_config={"insecure_skip_verification": True})


# Classic Load Balancers' HTTPS listeners: ELB's default negotiation (TLS 1.0 and up, with an IAM server
# certificate), an old predefined policy (on a load balancer in one zone, balancing within it, that drops requests
# in flight), and the TLS 1.2 one through a listener policy.
def classic(name: str, certificate: str = "arn:aws:acm:us-east-1:123456789012:certificate/c",
            **availability) -> aws.elb.LoadBalancer:
    """Draining connections, in two subnets, cross-zone (the default), unless `availability` says otherwise."""
    return aws.elb.LoadBalancer(
        name, name=name, internal=True, tags=TAGS, **{"subnets": SUBNETS, "connection_draining": True, **availability},
        listeners=[{"instance_port": 8443, "instance_protocol": "https", "lb_port": 443, "lb_protocol": "HTTPS",
                    "ssl_certificate_id": certificate}],
        access_logs={"bucket": "policy-tests-lb-logs", "bucket_prefix": name})


classic("classic-default", "arn:aws:iam::123456789012:server-certificate/classic")  # an IAM server certificate
aws.elb.SslNegotiationPolicy("classic-old-negotiation", name="old", load_balancer=classic(
    "classic-old", subnets=None, availability_zones=["us-east-1a"], connection_draining=None,
    cross_zone_load_balancing=False).id,
                             lb_port=443, attributes=[{"name": "Reference-Security-Policy",
                                                       "value": "ELBSecurityPolicy-2016-08"}])
tls12 = classic("classic-tls12")
tls12_policy = aws.elb.LoadBalancerPolicy(
    "classic-tls12-negotiation", load_balancer_name=tls12.name, policy_name="tls12",
    policy_type_name="SSLNegotiationPolicyType",
    policy_attributes=[{"name": "Reference-Security-Policy", "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}])
aws.elb.ListenerPolicy("classic-tls12-listener", load_balancer_name=tls12.name, load_balancer_port=443,
                       policy_names=[tls12_policy.policy_name])


# Target groups' health checks: HTTPS, HTTP said outright or by the provider's default in the block, ELB's own
# default without the block (HTTP for an ALB's group, TCP for an NLB's), a Lambda group (not judged), and an
# exempted TCP pass-through.
def target_group(name, **args):
    return aws.lb.TargetGroup(name, name=name, target_type="ip", vpc_id="vpc-0a1b2c3d4e5f60001", tags=TAGS, **args)


target_group("https-check-group", protocol="HTTPS", port=8443, health_check={"protocol": "HTTPS", "path": "/health"})
target_group("http-check-group", protocol="HTTPS", port=8443, health_check={"protocol": "http", "path": "/health"})
target_group("block-check-group", protocol="HTTP", port=8080, health_check={"path": "/health"})
target_group("default-check-group", protocol="HTTP", port=8080)
target_group("tcp-check-group", protocol="TCP", port=443)
aws.lb.TargetGroup("lambda-group", name="lambda-group", target_type="lambda", tags=TAGS)
target_group("mtls-passthrough-group", protocol="TCP", port=443, health_check={"protocol": "TCP"})
