"""The stack config model: real stacks parse; every malformed input gets its exact one-line message."""
from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from components.config import PLANES, ConfigError, ContainerHealthCheck, parse_config
from components.config.services import execution_policy_chars
from components.config.values import TASK_DEFINITION_BYTES
from components.compute import json_bytes
from components.dataplane import service_task_definitions
from components.iam import ROLE_INLINE_POLICY_CHARS
from tools import apicheck
from components.tagging import EDGE_OWN_TAG_KEYS, OWN_TAG_KEYS
from tests.conftest import (DELETE, ROOT, config_error, global_preview, parse, preview, program_with_stack,
                            project_config, raw_config, shared_preview, with_value)
from tools.preview import run_preview

@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_real_stacksparse(stack):
    config = parse(raw_config(stack), stack)
    assert config.environment == stack
    assert [s.name for s in config.services] == ["user-service", "product-service", "order-service",
                                                  "payment-service"]
    assert all(s.port == 8000 for s in config.services)
    user = config.service("user-service")
    assert [(v.name, v.weight) for v in user.versions] == [("v1", 90), ("v2", 10)]
    assert user.versions[1].header_match.name == "x-canary" and user.versions[1].header_match.exact == "true"
    assert user.versions[1].image != user.versions[0].image
    assert config.service("order-service").calls == ("payment-service", "user-service")
    assert config.service("payment-service").externals == ("payment-provider",)
    assert config.external("payment-provider").port == 443
    assert [s.public_path for s in config.public_services] == ["/users", "/products", "/orders"]
    assert config.namespace == f"{stack}.ecommerce.local"
    assert config.virtual_service_name("user-service") == f"user-service.{stack}.ecommerce.local"


def test_prod_differs_from_dev_in_earnest():
    dev, prod = parse(raw_config("dev")), parse(raw_config("prod"), "prod")
    assert (dev.network.create.az_count, prod.network.create.az_count) == (2, 3)
    assert prod.sizing.desired_count > dev.sizing.desired_count
    assert prod.sizing.log_retention_days > dev.sizing.log_retention_days
    assert (dev.api.waf.enabled, prod.api.waf.enabled) == (False, True)
    assert (dev.protect, prod.protect) == (False, True)
    assert prod.api.cache.enabled and prod.api.domain is not None and dev.api.domain is None
    assert prod.alarms.pager_endpoint is not None and dev.alarms.pager_endpoint is None
    # The REST API keeps the reference solution's name unless a stack names it (renaming replaces alarms and WAF).
    assert (dev.api.name, prod.api.name) == ("dev-ecommerce-api", "prod-ecommerce-api")
    assert dev.api.description == "dev e-commerce public API"


# dev's public REST resources (each public prefix and its {proxy+}), for usage-plan method throttles.
_PUBLIC_RESOURCES = ["/users", "/users/{proxy+}", "/products", "/products/{proxy+}", "/orders", "/orders/{proxy+}"]


def _throttle(path: str, method: str = "*") -> dict:
    return {"path": path, "method": method, "rateLimit": 10, "burstLimit": 20}


BAD_INPUTS = [
    ("services[2].port", 70000, "Pulumi.dev.yaml: services[2].port: 70000 is not a port (1-65535)"),
    ("services[0].port", "8000", "Pulumi.dev.yaml: services[0].port: expected an integer, got a string"),
    ("services[1].calls", ["order-service", "inventory-service"],
     "Pulumi.dev.yaml: services[1].calls[1]: 'inventory-service' is not a service in this stack"),
    ("services[0].versions[1].weight", 20, "Pulumi.dev.yaml: services[0].versions: weights sum to 110, not 100"),
    ("services[1].name", "user-service", "Pulumi.dev.yaml: services[1].name: duplicate service 'user-service'"),
    ("services[3].image", DELETE, "Pulumi.dev.yaml: services[3].image: is required"),
    # Beside the service's own image: a near spelling of a setting it has is named too.
    ("services[0].imge", "typo:1.0", "Pulumi.dev.yaml: services[0].imge: is not a known setting (did you mean image?)"),
    ("mesh.egressFilter", "ALLOW_ALL", "Pulumi.dev.yaml: mesh.egressFilter: is not a known setting"),
    ("mesh.dataplane", "appmesh", "Pulumi.dev.yaml: mesh.dataplane: is not a known setting (did you mean dataPlane?)"),
    ("services[0].versions[1].image", DELETE,
     "Pulumi.dev.yaml: services[0].versions[1].image: version 'v2' needs its own image"),
    # It ran in the service's stead, the service's own image nowhere (a bad-input review).
    ("services[0].versions[0].image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/ecommerce/user-service:9.9.9",
     "Pulumi.dev.yaml: services[0].versions[0].image: version 'v1' is the primary version, which runs the service's "
     "image (111122223333.dkr.ecr.us-east-1.amazonaws.com/ecommerce/user-service:1.4.2): leave its image out, or "
     "change the service's"),
    ("services[3].externals", ["fraud-api"],
     "Pulumi.dev.yaml: services[3].externals[0]: 'fraud-api' is not an external in this stack"),
    ("services[2].calls", ["order-service"],
     "Pulumi.dev.yaml: services[2].calls[0]: a service does not call itself through the mesh"),
    ("mesh.ipPreference", "IPv5_ONLY",
     "Pulumi.dev.yaml: mesh.ipPreference: 'IPv5_ONLY' is not one of IPv4_ONLY, IPv4_PREFERRED, IPv6_ONLY, "
     "IPv6_PREFERRED"),
    ("mesh.envoyImage", "public.ecr.aws/appmesh/aws-appmesh-envoy:latest",
     "Pulumi.dev.yaml: mesh.envoyImage: 'public.ecr.aws/appmesh/aws-appmesh-envoy:latest' must be pinned to a "
     "version tag, not latest"),
    ("mesh.tls.mode", "DISABLED", "Pulumi.dev.yaml: mesh.tls.mode: 'DISABLED' is not one of STRICT, PERMISSIVE"),
    ("mesh.tls.earlyRenewalHours", 2160,
     "Pulumi.dev.yaml: mesh.tls.earlyRenewalHours: must be less than certificateValidityHours"),
    ("sizing.memory", 3000,
     "Pulumi.dev.yaml: sizing.memory: 3000 MiB does not fit 512 CPU units on Fargate (1024-4096 in steps of 1024)"),
    ("sizing.logRetentionDays", 10,
     "Pulumi.dev.yaml: sizing.logRetentionDays: 10 is not a CloudWatch Logs retention period"),
    # Only a trail delivers to CloudWatch Logs (dev has none); its group keeps a period CloudWatch Logs accepts.
    ("audit.cloudWatchLogs", True,
     "Pulumi.dev.yaml: audit.cloudWatchLogs: is true but trail is not: only a trail delivers to CloudWatch Logs"),
    ("audit.cloudWatchLogsRetentionDays", 90,
     "Pulumi.dev.yaml: audit.cloudWatchLogsRetentionDays: only applies when cloudWatchLogs is on"),
    # Taken and ignored: the bucket's lifecycle is the only reader (a bad-input review).
    ("audit", {"loadBalancerAccessLogs": False, "accessLogRetentionDays": 30},
     "Pulumi.dev.yaml: audit.accessLogRetentionDays: only applies when loadBalancerAccessLogs is on (it empties the "
     "access log bucket)"),
    # A service's own cpu against the stack's memory: the key the file sets is named, not the inherited one (a
    # bad-input review).
    ("services[0].sizing", {"cpu": 4096},
     "Pulumi.dev.yaml: services[0].sizing.cpu: 4096 CPU units do not fit 1024 MiB, the memory it takes from "
     "sizing.memory, on Fargate (8192-30720 in steps of 1024): set its memory too"),
    ("services[0].sizing", {"memory": 16384},
     "Pulumi.dev.yaml: services[0].sizing.memory: 16384 MiB does not fit 512 CPU units, the cpu it takes from "
     "sizing.cpu, on Fargate (1024-4096 in steps of 1024): set its cpu too"),
    ("services[3].timeouts", {"idleMs": 2000},
     "Pulumi.dev.yaml: services[3].timeouts.idleMs: idleMs 2000 is shorter than perRequestMs 15000 (the default), "
     "which then never applies: Service Connect's proxy closes the connection when idleTimeout is reached, not "
     "perRequestTimeout (ECS's TimeoutConfiguration); make idleMs at least perRequestMs"),
    # Nothing calls user-service once order-service stops: its canary's header rule would match no request (a
    # bad-input review).
    ("services[2].calls", ["payment-service"],
     "Pulumi.dev.yaml: services[0].versions[1].headerMatch: Service Connect's test traffic rules route the requests "
     "of its callers in the mesh, and the ingress ALB splits API Gateway's by weight only; no service calls "
     "user-service, so no request would match it: remove it (the canary still takes its weight)"),
    # ECS's TimeoutConfiguration: the proxy closes the connection at idleTimeout, so a longer perRequestTimeout
    # never applies (a bad-input review); the key set is named, the default said.
    ("services[3].timeouts", {"idleMs": 2000, "perRequestMs": 60000},
     "Pulumi.dev.yaml: services[3].timeouts.idleMs: idleMs 2000 is shorter than perRequestMs 60000, which then never "
     "applies: Service Connect's proxy closes the connection when idleTimeout is reached, not perRequestTimeout "
     "(ECS's TimeoutConfiguration); make idleMs at least perRequestMs"),
    ("services[3].timeouts", {"perRequestMs": 400000},
     "Pulumi.dev.yaml: services[3].timeouts.perRequestMs: idleMs 300000 (the default) is shorter than perRequestMs "
     "400000, which then never applies: Service Connect's proxy closes the connection when idleTimeout is reached, "
     "not perRequestTimeout (ECS's TimeoutConfiguration); make idleMs at least perRequestMs"),
    # The alarms compare with GreaterThanThreshold: at 100 % (REST's 5XXError average > 1) they never fire.
    ("alarms.fiveXxRatePercent", 100,
     "Pulumi.dev.yaml: alarms.fiveXxRatePercent: 100 % could never fire: the alarms fire above it, and an error rate "
     "is at most 100 %; set less than 100"),
    ("alarms.fourXxRatePercent", 100.0,
     "Pulumi.dev.yaml: alarms.fourXxRatePercent: 100 % could never fire: the alarms fire above it, and an error rate "
     "is at most 100 %; set less than 100"),
    ("sizing.autoscaling.minCapacity", 5, "Pulumi.dev.yaml: sizing.autoscaling.minCapacity: 5 is above maxCapacity (3)"),
    # One above is the bound's own key too, not desiredCount's (which is then below it).
    ("sizing.autoscaling.minCapacity", 4, "Pulumi.dev.yaml: sizing.autoscaling.minCapacity: 4 is above maxCapacity (3)"),
    # The count a service starts with is within the bounds autoscaling then keeps it in.
    ("sizing.autoscaling.minCapacity", 2,
     "Pulumi.dev.yaml: sizing.desiredCount: 1 is outside the autoscaling bounds (2-3)"),
    # A service's own bound against the stack's count or bound it takes is named at the key the file sets.
    ("services[0].sizing", {"autoscaling": {"minCapacity": 2}},
     "Pulumi.dev.yaml: services[0].sizing.autoscaling.minCapacity: 2 is above 1, the desiredCount it takes from "
     "sizing.desiredCount: set its desiredCount too"),
    ("network.create.natGateways", 3, "Pulumi.dev.yaml: network.create.natGateways: 3 is not between 1 and azCount (2)"),
    # Every image, as Envoy's: `latest` moves under a running service, and a rollback cannot name what ran.
    ("services[0].image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/ecommerce/user-service:latest",
     "Pulumi.dev.yaml: services[0].image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/ecommerce/user-service:latest' "
     "must be pinned to a tag or digest, not latest"),
    # A host that only ends like the zone's name is not in it: Route 53 and ACM's validation would refuse it.
    ("dns", {"zoneName": "hop.example.com"},
     "Pulumi.dev.yaml: ingress.hostName: ingress.dev.shop.example.com is not in the DNS zone hop.example.com "
     "(dns.zoneName), so the stack cannot validate its certificate or point it at the endpoint"),
    ("api.throttle.burstLimit", 10001, "Pulumi.dev.yaml: api.throttle.burstLimit: 10001 is out of range (1-10000)"),
    ("network.create.azCount", 4, "Pulumi.dev.yaml: network.create.azCount: 4 is not 2 or 3"),
    # The ALB rules match a prefix after the stage and bare: /users/orders would be user-service's too.
    ("api.stageName", "users", "Pulumi.dev.yaml: api.stageName: users is also user-service's publicPath: the "
                               "ingress could not tell /users/<path> from that service's own paths"),
    # dev lays its subnets out for 2 AZs: a third would need the blocks its private subnets hold.
    ("network.create.azCount", 3, "Pulumi.dev.yaml: network.create.azSlots: 2 is not between azCount (3) and 3"),
    ("network.create.azSlots", 4, "Pulumi.dev.yaml: network.create.azSlots: 4 is not between azCount (2) and 3"),
    # With fewer AZs than the default slots, the stack says whether it keeps its old layout or leaves room.
    ("network.create.azSlots", DELETE, "Pulumi.dev.yaml: network.create.azSlots: is required with azCount 2: 2 "
                                       "keeps the subnet layout of a stack deployed before azSlots existed, 3 "
                                       "leaves room for a third AZ"),
    ("network.create.azSlots", None, "Pulumi.dev.yaml: network.create.azSlots: is required with azCount 2: 2 "
                                     "keeps the subnet layout of a stack deployed before azSlots existed, 3 "
                                     "leaves room for a third AZ"),  # `azSlots:` with no value
    ("network.create.cidr", "10.20.0.0/33", "Pulumi.dev.yaml: network.create.cidr: '10.20.0.0/33' is not a CIDR block"),
    # Python reads a netmask; EC2's CreateVpc takes CIDR notation only.
    ("network.create.cidr", "10.20.0.0/255.255.0.0",
     "Pulumi.dev.yaml: network.create.cidr: '10.20.0.0/255.255.0.0' is not a CIDR block"),
    # Four /20 subnets (2 AZs) need a /18; a /19 or /20 used to crash the network layer with an IndexError.
    ("network.create.cidr", "10.20.0.0/19",
     "Pulumi.dev.yaml: network.create.cidr: 10.20.0.0/19 holds 2 /20 subnets; azSlots 2 needs 4"),
    ("network.create.cidr", "10.20.0.0/20",
     "Pulumi.dev.yaml: network.create.cidr: 10.20.0.0/20 holds 1 /20 subnets; azSlots 2 needs 4"),
    ("network.existing", {"vpcId": "vpc-0abc"},
     "Pulumi.dev.yaml: network: set exactly one of create or existing"),
    ("services", {"name": "user-service"}, "Pulumi.dev.yaml: services: expected a list, got a mapping"),
    ("api.usagePlans[2].quota.period", "YEAR",
     "Pulumi.dev.yaml: api.usagePlans[2].quota.period: 'YEAR' is not one of DAY, WEEK, MONTH"),
    ("api.consumers[1].plan", "gold",
     "Pulumi.dev.yaml: api.consumers[1].plan: 'gold' is not a usage plan in this stack"),
    # A quota counts per key: a public client's is anyone's to spend, a server's key gets one.
    ("api.usagePlans[1].quota", {"limit": 100000, "period": "DAY"},
     "Pulumi.dev.yaml: api.usagePlans[1].quota: web-storefront: a public client (its key ships where anyone can read "
     "it), whoever reads the key could spend this quota for all its users: leave the quota out of its plan (the "
     "plan's throttle still applies)"),
    ("api.consumers[0].public", False,
     "Pulumi.dev.yaml: api.usagePlans[1].quota: is required: web-storefront keeps its key on a server (not public), "
     "and a quota caps what each key may spend"),
    ("api.usagePlans[2].quota", DELETE,
     "Pulumi.dev.yaml: api.usagePlans[2].quota: is required: only a plan with a public consumer goes without one (and "
     "the pack's publicClientPlans names it)"),
    ("api.consumers[0].public", "yes",
     "Pulumi.dev.yaml: api.consumers[0].public: expected true or false, got a string"),
    ("api.integrationTimeoutMs", 60000,
     "Pulumi.dev.yaml: api.integrationTimeoutMs: 60000 is not between 50 and 29000 ms"),
    ("api.integrationTimeoutMs", 29001,
     "Pulumi.dev.yaml: api.integrationTimeoutMs: 29001 is not between 50 and 29000 ms"),
    # A target of 100 % never scales out; 10 % keeps a service scaled out for nothing.
    ("sizing.autoscaling.cpuTargetPercent", 96,
     "Pulumi.dev.yaml: sizing.autoscaling.cpuTargetPercent: 96 is out of range (10-95)"),
    ("sizing.autoscaling.cpuTargetPercent", 9,
     "Pulumi.dev.yaml: sizing.autoscaling.cpuTargetPercent: 9 is out of range (10-95)"),
    ("api.auth.type", "basic", "Pulumi.dev.yaml: api.auth.type: 'basic' is not one of cognito, jwt, iam"),
    ("api.cors.allowOrigin", "http://localhost:99999",
     "Pulumi.dev.yaml: api.cors.allowOrigin: http://localhost:99999: port 99999 is not a TCP port (1-65535)"),
    ("api.cors.allowOrigin", "http://localhost:03000",
     "Pulumi.dev.yaml: api.cors.allowOrigin: 'http://localhost:03000' is not one origin like https://shop.example.com"),
    # IAM authorization has no identity source: the setting would be silently ignored.
    ("api.auth", {"type": "iam", "identitySource": "method.request.header.X-Token"},
     "Pulumi.dev.yaml: api.auth.identitySource: only applies to an authorizer (auth.type cognito or jwt)"),
    ("api.name", "Shop API", "Pulumi.dev.yaml: api.name: 'Shop API' is not 3-64 lowercase letters, digits and hyphens"),
    ("api.description", "two\nlines", "Pulumi.dev.yaml: api.description: 'two\\nlines' is not one line of at most "
                                      "256 characters"),
    ("protect", "yes", "Pulumi.dev.yaml: protect: expected true or false, got a string"),
    ("environment", DELETE, "Pulumi.dev.yaml: environment: is required"),
    ("services[1].publicPath", "/users", "Pulumi.dev.yaml: services[1].publicPath: /users is already used by "
                                         "user-service"),
    ("services[0].port", 15001, "Pulumi.dev.yaml: services[0].port: 15001 is reserved for the Envoy proxy (a task's "
                                "containers share its ports)"),
    # Every task runs the X-Ray daemon (TCP and UDP 2000); App Mesh's run the CloudWatch agent's StatsD.
    ("services[0].port", 2000, "Pulumi.dev.yaml: services[0].port: 2000 is reserved for the X-Ray daemon (a task's "
                               "containers share its ports)"),
    ("services[3].secrets", {"API_KEY": "plain-text-key"},
     "Pulumi.dev.yaml: services[3].secrets.API_KEY: must be a Secrets Manager secret ARN "
     "(arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]) or an SSM "
     "parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)"),
    ("services[3].secrets", {"TLS_KEY": "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecs-sc!payment-AbCdEf"},
     "Pulumi.dev.yaml: services[3].secrets.TLS_KEY: names Service Connect's TLS key (secret ecs-sc!payment-AbCdEf); "
     "a service must not read the proxy's private key"),
    # The whole ARN: one cut short would reach IAM as written, or stop the program.
    *[("services[3].secrets.PAYMENT_PROVIDER_API_KEY", arn,
       "Pulumi.dev.yaml: services[3].secrets.PAYMENT_PROVIDER_API_KEY: must be a Secrets Manager secret ARN "
       "(arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]) or an SSM "
       "parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)")
      for arn in ("arn:aws:secretsmanager:us-east-1:111122223333:secret", "arn:aws:secretsmanager:",
                  "arn:aws:secretsmanager:us-east-1:111122223333:secret:", "arn:aws:ssm:us-east-1:111122223333:parameter",
                  "arn:aws:secretsmanager:us-east-1:111122223333:secret:a b",
                  "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf:k:s:v:extra",
                  "arn:aws:secretsmanager:us-east-1:１１１１２２２２３３３３:secret:x")],
    # With endpoints on, only this region's Secrets Manager and SSM are reachable (DNS Firewall, security groups).
    *[("services[3].secrets.PAYMENT_PROVIDER_API_KEY", arn,
       "Pulumi.dev.yaml: services[3].secrets.PAYMENT_PROVIDER_API_KEY: is in eu-west-1, but with network.endpoints "
       "on tasks reach secrets only through this stack's us-east-1 endpoints: keep a replica or copy of it in us-east-1")
      for arn in ("arn:aws:secretsmanager:eu-west-1:111122223333:secret:dev/payment-provider-key-AbCdEf",
                  "arn:aws:ssm:eu-west-1:111122223333:parameter/dev/payments/api-key")],
    ("services[3].secretsKmsKeys", ["arn:aws:kms:us-east-1:111122223333:alias/payments"],
     "Pulumi.dev.yaml: services[3].secretsKmsKeys[0]: 'arn:aws:kms:us-east-1:111122223333:alias/payments' is not a KMS "
     "key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM does not match an alias ARN when a key is used)"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:configuration-set/shop"},
     "Pulumi.dev.yaml: api.auth.emailSender.identityArn: 'arn:aws:ses:us-east-1:111122223333:configuration-set/shop' "
     "is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/shop.example.com"},
     "Pulumi.dev.yaml: api.auth.emailSender.from: is required with a domain identity (shop.example.com): the "
     "address mail comes from"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/shop.example.com",
                              "from": "Shop <no-reply@example.org>"},
     "Pulumi.dev.yaml: api.auth.emailSender.from: no-reply@example.org is not covered by the SES identity "
     "shop.example.com (Cognito sends only from the verified address, or from an address of the verified domain itself)"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/ops@shop.example.com",
                              "from": "billing@shop.example.com"},
     "Pulumi.dev.yaml: api.auth.emailSender.from: billing@shop.example.com is not covered by the SES identity "
     "ops@shop.example.com (Cognito sends only from the verified address, or from an address of the verified domain itself)"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/ops@shop.example.com",
                              "replyTo": "Support <help@shop.example.com>"},
     "Pulumi.dev.yaml: api.auth.emailSender.replyTo: 'Support <help@shop.example.com>' is not an email address"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/example.com",
                              "from": "Shop <no-reply@shop.example.com>"},
     "Pulumi.dev.yaml: api.auth.emailSender.from: no-reply@shop.example.com is not covered by the SES identity "
     "example.com (Cognito sends only from the verified address, or from an address of the verified domain itself)"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:eu-central-1:111122223333:identity/ops@shop.example.com"},
     "Pulumi.dev.yaml: api.auth.emailSender.identityArn: is in eu-central-1: Cognito sends through SES in the "
     "pool's region (us-east-1) or in us-west-2, eu-west-1"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/ops@shop.example.com",
                              "fromName": "Shop"},
     "Pulumi.dev.yaml: api.auth.emailSender.fromName: is not a known setting"),
    ("services[0].secretsKmsKeys", ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
     "Pulumi.dev.yaml: services[0].secretsKmsKeys: the service has no secrets to decrypt"),
    # payment-service's secret is in us-east-1: a key of another region can decrypt none of it (a bad-input review).
    ("services[3].secretsKmsKeys", ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
     "Pulumi.dev.yaml: services[3].secretsKmsKeys[0]: is in eu-west-1, and the service's secrets in us-east-1: "
     "Secrets Manager and Parameter Store encrypt with a key of the secret's own region"),
    # The quotas are the account's as raised: never below AWS's defaults (the stacks past them: QUOTA_LIMITS).
    ("quotas", {"securityGroupRules": 59},
     "Pulumi.dev.yaml: quotas.securityGroupRules: 59 is not at least AWS's default 60, which Service Quotas only "
     "raises"),
    ("quotas", {"securityGroupRules": 501},
     "Pulumi.dev.yaml: quotas.securityGroupRules: 501 is not possible: AWS keeps rules per security group x security "
     "groups per network interface within 1000, and each task joins 2 groups (at most 500)"),
    ("quotas", {"restResourcesPerApi": 299},
     "Pulumi.dev.yaml: quotas.restResourcesPerApi: 299 is not at least AWS's default 300, which Service Quotas only "
     "raises"),
    ("network.endpointAccounts", ["12345678901"],
     "Pulumi.dev.yaml: network.endpointAccounts[0]: '12345678901' is not a 12-digit account id"),
    ("network.endpointAccounts", ["210987654321", "210987654321"],
     "Pulumi.dev.yaml: network.endpointAccounts[1]: '210987654321' is listed twice"),
    ("quotas", {"albTargets": 999},
     "Pulumi.dev.yaml: quotas.albTargets: 999 is not at least AWS's default 1000, which Service Quotas only raises"),
    ("quotas", {"cloudMapInstancesPerNamespace": 1999},
     "Pulumi.dev.yaml: quotas.cloudMapInstancesPerNamespace: 1999 is not at least AWS's default 2000, which Service "
     "Quotas only raises"),
    ("quotas", {"methodThrottlesPerPlan": 19},
     "Pulumi.dev.yaml: quotas.methodThrottlesPerPlan: 19 is not at least AWS's default 20, which only AWS Support "
     "raises"),
    # "*" throttles each of the six proxied verbs, and a usage plan's stage holds 20 method throttles.
    ("api.usagePlans[2].methodThrottles", [_throttle(path) for path in _PUBLIC_RESOURCES[:4]],
     "Pulumi.dev.yaml: api.usagePlans[2].methodThrottles: throttle 24 methods (\"*\" is each of the 6 proxied verbs), "
     "more than quotas.methodThrottlesPerPlan (20): API Gateway refuses the usage plan"),
    ("tags", {f"Tag{i:02d}": "x" for i in range(49)},
     "Pulumi.dev.yaml: tags: 49 tags and the program's own AlarmKind and Severity (on every alarm) make 51 on one "
     "resource; AWS allows 50"),
    ("tags.aws:owner", "platform-team",
     "Pulumi.dev.yaml: tags.aws:owner: AWS reserves the aws: prefix of tag keys and values for its own tags"),
    ("tags.Owner", "AWS:platform-team",
     "Pulumi.dev.yaml: tags.Owner: AWS reserves the aws: prefix of tag keys and values for its own tags"),
    (f"tags.{'k' * 129}", "v", f"Pulumi.dev.yaml: tags.{'k' * 129}: the key is 129 characters; AWS allows 128"),
    ("tags.Owner", "x" * 257, "Pulumi.dev.yaml: tags.Owner: the value is 257 characters; AWS allows 256"),
    # AWS takes letters, digits and spaces of any script in tags, and _ . : / = + - @: a line break fails every `up`.
    ("tags.Owner", "platform\nteam", "Pulumi.dev.yaml: tags.Owner: the value 'platform\\nteam' has a character AWS "
                                     "does not allow in tags (letters, digits, spaces and _ . : / = + - @)"),
    ("tags.Team#", "core", "Pulumi.dev.yaml: tags.Team#: the key 'Team#' has a character AWS does not allow in tags "
                           "(letters, digits, spaces and _ . : / = + - @)"),
    ("tags", {"": "x"}, "Pulumi.dev.yaml: tags.'': a tag key may not be empty"),
    ("tags", {"Owner": "platform-team", "owner": "someone"},
     "Pulumi.dev.yaml: tags.owner: differs from Owner only in case; IAM takes tag keys case-insensitively and refuses "
     "a role that carries both"),
    # The program's own Name (a VPC's, a subnet's, a security group's) wins where it sets one: a stack-wide Name
    # would name every other resource alike.
    ("tags.Name", "shop", "Pulumi.dev.yaml: tags.Name: the program puts its own Name tag on some resources, which "
                          "keep theirs, so this one would reach only the others: use another key"),
    ("tags.Severity", "high", "Pulumi.dev.yaml: tags.Severity: the program puts its own Severity tag on some "
                              "resources, which keep theirs, so this one would reach only the others: use another key"),
    # The container health check's ranges are ECS's (botocore ecs HealthCheck; test_health_check_ranges_are_ecs).
    ("containerHealthCheck.command", DELETE, "Pulumi.dev.yaml: containerHealthCheck.command: is required"),
    ("containerHealthCheck.command", "  ",
     "Pulumi.dev.yaml: containerHealthCheck.command: expected a shell command (a string) or an executable and its "
     "arguments (a list of strings)"),
    ("services[3].containerHealthCheck", {"command": ["/bin/check", 8000]},
     "Pulumi.dev.yaml: services[3].containerHealthCheck.command: expected a shell command (a string) or an executable "
     "and its arguments (a list of strings)"),
    # ECS's own form, copied from its docs: the program adds CMD or CMD-SHELL itself.
    *[("containerHealthCheck.command", [form, "curl -f http://localhost:8000/health || exit 1"],
       f"Pulumi.dev.yaml: containerHealthCheck.command: starts with {form}, which the program adds: give the shell "
       f"command as a string, or the executable and its arguments as a list") for form in ("CMD-SHELL", "CMD", "NONE")],
    ("containerHealthCheck.command", "CMD-SHELL curl -f http://localhost:8000/health",
     "Pulumi.dev.yaml: containerHealthCheck.command: starts with CMD-SHELL, which the program adds: give the shell "
     "command as a string, or the executable and its arguments as a list"),
    ("containerHealthCheck.intervalSeconds", 4,
     "Pulumi.dev.yaml: containerHealthCheck.intervalSeconds: 4 is not between 5 and 300 seconds"),
    ("containerHealthCheck.timeoutSeconds", 61,
     "Pulumi.dev.yaml: containerHealthCheck.timeoutSeconds: 61 is not between 2 and 60 seconds"),
    ("services[0].containerHealthCheck", {"command": "true", "retries": 0},
     "Pulumi.dev.yaml: services[0].containerHealthCheck.retries: 0 is not between 1 and 10"),
    ("containerHealthCheck.startPeriodSeconds", 301,
     "Pulumi.dev.yaml: containerHealthCheck.startPeriodSeconds: 301 is not between 0 and 300 seconds"),
    ("containerHealthCheck.path", "/health", "Pulumi.dev.yaml: containerHealthCheck.path: is not a known setting"),
    # YAML's .nan and .inf are numbers too: NaN slipped past every comparison and failed the program later.
    ("api.throttle.rateLimit", float("nan"), "Pulumi.dev.yaml: api.throttle.rateLimit: nan is not a finite number"),
    ("api.usagePlans[0].throttle.rateLimit", float("inf"),
     "Pulumi.dev.yaml: api.usagePlans[0].throttle.rateLimit: inf is not a finite number"),
    ("alarms.fiveXxRatePercent", float("nan"), "Pulumi.dev.yaml: alarms.fiveXxRatePercent: nan is not a finite number"),
    ("alarms.fourXxRatePercent", 101, "Pulumi.dev.yaml: alarms.fourXxRatePercent: 101 must be at most 100"),
    ("api.usagePlans[2].quota.limit", 2**31,
     "Pulumi.dev.yaml: api.usagePlans[2].quota.limit: 2147483648 is out of range (1-2147483647)"),
    # A pattern's `$` matches before a trailing newline: "dev\n" reached security group names (which EC2 refuses).
    ("environment", "dev\n", "Pulumi.dev.yaml: environment: 'dev\\n' is not an environment name (lower-case letters "
                             "and digits)"),
    ("services[0].publicPath", "/users\n", "Pulumi.dev.yaml: services[0].publicPath: '/users\\n' is not a path prefix: "
                                          "one segment like /users (lower-case letters, digits and -)"),
    ("services[0].publicPath", "/users/v2",
     "Pulumi.dev.yaml: services[0].publicPath: '/users/v2' is not a path prefix: one segment like /users (lower-case "
     "letters, digits and -)"),
    ("services[0].name", "s" * 41, f"Pulumi.dev.yaml: services[0].name: '{'s' * 41}' is not a service name (2 to 40 "
                                   "lower-case letters, digits and -, from a letter, not ending in -)"),
    ("services[1].calls", ["order-service", "order-servce"],
     "Pulumi.dev.yaml: services[1].calls[1]: 'order-servce' is not a service in this stack (did you mean "
     "order-service?)"),
    ("services[1].queryParameters[0]", "search\n",
     "Pulumi.dev.yaml: services[1].queryParameters[0]: 'search\\n' is not a query string parameter"),
    ("ingress.certificateArn", "arn:aws:acm:us\neast\n1:111122223333:certificate/x",
     "Pulumi.dev.yaml: ingress.certificateArn: 'arn:aws:acm:us\\neast\\n1:111122223333:certificate/x' is not an ACM "
     "certificate ARN"),
    ("services[3].secrets.PAYMENT_PROVIDER_API_KEY", "arn:aws:secretsmanager:us-east-1:111122223333:secret:x\n",
     "Pulumi.dev.yaml: services[3].secrets.PAYMENT_PROVIDER_API_KEY: must be a Secrets Manager secret ARN "
     "(arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]) or an SSM "
     "parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)"),
    ("api.auth.identitySource", "method.request.header.Authorization\n",
     "Pulumi.dev.yaml: api.auth.identitySource: 'method.request.header.Authorization\\n' is not a request header "
     "source (method.request.header.<name>)"),
    ("api.auth.emailSender", {"identityArn": "arn:aws:ses:us-east-1:111122223333:identity/ops@shop.example.com",
                              "replyTo": "help@shop.example.com\n"},
     "Pulumi.dev.yaml: api.auth.emailSender.replyTo: 'help@shop.example.com\\n' is not an email address"),
    ("services[0].versions[1].headerMatch.exact", "true\n",
     "Pulumi.dev.yaml: services[0].versions[1].headerMatch.exact: 'true\\n' is not a header value (one line, "
     "1-255 characters)"),
    ("services[0].versions[1].headerMatch.exact", "",
     "Pulumi.dev.yaml: services[0].versions[1].headerMatch.exact: '' is not a header value (one line, 1-255 "
     "characters)"),
    # A key that is empty, has spaces around it or a line break in it is quoted: one line that tells it apart.
    ("mesh.a\nb", 1, "Pulumi.dev.yaml: mesh.'a\\nb': is not a known setting"),
    ("sizing. cpu", 512, "Pulumi.dev.yaml: sizing.' cpu': is not a known setting (did you mean cpu?)"),
    ("services[3].secrets.API_KEY\n", "plain-text-key",
     "Pulumi.dev.yaml: services[3].secrets.'API_KEY\\n': is not a variable name (no =, no spaces)"),
    ("services[3].environment", {"A=B": "1"},
     "Pulumi.dev.yaml: services[3].environment.A=B: is not a variable name (no =, no spaces)"),
    ("services[3].environment", {"": "1"}, "Pulumi.dev.yaml: services[3].environment.'': is not a variable name (no "
                                           "=, no spaces)"),
    # ECS registers the task definition without it: the provider would replace it on every update.
    ("services[3].environment", {"FEATURE_FLAGS": ""},
     "Pulumi.dev.yaml: services[3].environment.FEATURE_FLAGS: is empty, and ECS keeps no variable with an empty value "
     "(every update would replace the task definition): give it a value, or leave it out"),
    # What AWS refuses at `up` (a config review's fuzzing found each passing).
    ("network.create.cidr", "fd00::/16",
     "Pulumi.dev.yaml: network.create.cidr: fd00::/16 is not an IPv4 CIDR block, which a VPC's primary block must be"),
    # Ranges that are no hosts' addresses (a bad-input review found each accepted).
    ("network.create.cidr", "169.254.0.0/16",
     "Pulumi.dev.yaml: network.create.cidr: 169.254.0.0/16 overlaps 169.254.0.0/16, link-local, where the task "
     "metadata, instance metadata and Amazon DNS addresses are: no VPC host can have those addresses"),
    ("network.create.cidr", "127.0.0.0/16",
     "Pulumi.dev.yaml: network.create.cidr: 127.0.0.0/16 overlaps 127.0.0.0/8, loopback: no VPC host can have those "
     "addresses"),
    ("network.create.cidr", "0.0.0.0/16", "Pulumi.dev.yaml: network.create.cidr: 0.0.0.0/16 overlaps 0.0.0.0/8, "
                                          "'this network': no VPC host can have those addresses"),
    ("network.create.cidr", "224.0.0.0/16", "Pulumi.dev.yaml: network.create.cidr: 224.0.0.0/16 overlaps "
                                            "224.0.0.0/4, multicast: no VPC host can have those addresses"),
    ("api.cors.allowOrigin", "https://shop..example.com",
     "Pulumi.dev.yaml: api.cors.allowOrigin: 'https://shop..example.com' is not one origin like "
     "https://shop.example.com"),
    # An external no service calls would open the egress firewalls to its host for nothing.
    ("services[3].externals", DELETE,
     "Pulumi.dev.yaml: externals[0].name: 'payment-provider' is called by no service: its host api.stripe.com would "
     "be allowed through the egress firewalls for nothing; list it in the services[].externals of the service that "
     "calls it, or remove it"),
    ("services[0].versions[1].weight", 0,
     "Pulumi.dev.yaml: services[0].versions[1].weight: 0 sends the canary nothing, and the CANARY deployment's "
     "canaryPercent takes 0.1-100: give it at least 1, or drop the version"),
    ("api.domain", {"name": "ingress.dev.shop.example.com"},
     "Pulumi.dev.yaml: ingress.hostName: ingress.dev.shop.example.com is also api.domain.name: the custom domain and "
     "the ingress ALB each need a DNS name of their own"),
    ("ingress.hostName", "the-internal-ingress-load-balancer-for-the-store.dev.shop.example.com",
     "Pulumi.dev.yaml: ingress.hostName: the-internal-ingress-load-balancer-for-the-store.dev.shop.example.com is 69 "
     "characters; the certificate the stack requests for it names it, and ACM takes at most 64 (or give a "
     "certificateArn)"),
    ("mesh.domain", "a" * 64 + ".local",
     f"Pulumi.dev.yaml: mesh.domain: '{'a' * 64}.local' is not a DNS domain (labels of at most 63 lower-case "
     f"letters, digits and hyphens)"),
    ("mesh.domain", ".".join(["d" * 40] * 3),
     f"Pulumi.dev.yaml: mesh.domain: makes product-service's name product-service.dev.{'.'.join(['d' * 40] * 3)} "
     f"(142 characters), more than a Service Connect client alias takes (127)"),
    ("services[0].publicPath", "/" + "u" * 122,
     f"Pulumi.dev.yaml: services[0].publicPath: with api.stageName makes the ingress ALB's path pattern "
     f"/dev/{'u' * 122}/* (129 characters), more than a listener rule takes (128)"),
    # The stage name the longer part: that is the key to shorten.
    ("api.stageName", "s" * 128,
     f"Pulumi.dev.yaml: api.stageName: with services[0].publicPath makes the ingress ALB's path pattern "
     f"/{'s' * 128}/users/* (137 characters), more than a listener rule takes (128)"),
    ("services[1].healthCheckPath", "/" + "h" * 1024,
     f"Pulumi.dev.yaml: services[1].healthCheckPath: '/{'h' * 1024}' is not a path of at most 1024 characters of a "
     "URL's path and query (letters, digits and -._~!$&'()*+,;=:@/?; any other as %XX)"),
    # ELB refuses these in a target group's path, and a request cannot carry them unencoded.
    *((("services[1].healthCheckPath", path,
        f"Pulumi.dev.yaml: services[1].healthCheckPath: {path!r} is not a path of at most 1024 characters of a URL's "
        "path and query (letters, digits and -._~!$&'()*+,;=:@/?; any other as %XX)"))
      for path in ("/health?q={x}|y", "/h\u00e9alth", "/health?a=<2>", "/health#top", "/50%", "/a b",
                   "/" + "%41" * 342)),  # 1,027 characters as written (ELB counts those), 343 decoded
    ("services[3].image", ":", "Pulumi.dev.yaml: services[3].image: ':' is not an image reference"),
    ("services[3].image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/p\u0430yment-service:1.9.3",
     "Pulumi.dev.yaml: services[3].image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/p\u0430yment-service:1.9.3' "
     "is not an image reference"),
    ("services[3].image", "MyTeam/payment-service:1.9.3",  # not a registry (no dot, port or localhost): a path
     "Pulumi.dev.yaml: services[3].image: 'MyTeam/payment-service:1.9.3' is not an image reference"),
    ("services[3].image", "payment-service:", "Pulumi.dev.yaml: services[3].image: 'payment-service:' is not an "
                                              "image reference"),
    ("services[3].image", "r/" + "x" * 252 + ":1",
     f"Pulumi.dev.yaml: services[3].image: 'r/{'x' * 252}:1' is not an image reference"),
    ("services[3].environment", {"PAYMENT_PROVIDER_API_KEY": "plain"},
     "Pulumi.dev.yaml: services[3].environment.PAYMENT_PROVIDER_API_KEY: is also in secrets: a variable is either "
     "plain or a secret"),
    ("alarmPagerEndpoint", "http://pager.example.com/hook",
     "Pulumi.dev.yaml: alarmPagerEndpoint: is not an https:// URL, which SNS's https subscription needs"),
    ("quotas", {"accountRateLimit": 0}, "Pulumi.dev.yaml: quotas.accountRateLimit: 0 is less than 1"),
    ("mesh.tls.privateCaArn", "arn:aws:acm-pca:",
     "Pulumi.dev.yaml: mesh.tls.privateCaArn: 'arn:aws:acm-pca:' is not an ACM Private CA ARN"),
    ("ingress.certificateArn", "arn:aws:acm:us-east-1:",
     "Pulumi.dev.yaml: ingress.certificateArn: 'arn:aws:acm:us-east-1:' is not an ACM certificate ARN"),
    ("tags", "", "Pulumi.dev.yaml: tags: expected a mapping, got nothing"),
    # App Mesh's settings a stack file keeps for a switch back, asking what Service Connect would not do.
    ("mesh.tls.mode", "PERMISSIVE", "Pulumi.dev.yaml: mesh.tls.mode: PERMISSIVE: Service Connect has no permissive "
                                    "TLS mode; leave it STRICT or out, or use mesh.dataPlane: appmesh"),
    ("mesh.ipPreference", "IPv6_ONLY",
     "Pulumi.dev.yaml: mesh.ipPreference: IPv6_ONLY: the Service Connect plane sets no IP preference, an App Mesh "
     "setting; leave it IPv4_ONLY or out, or use mesh.dataPlane: appmesh"),
    # API Gateway's custom domain names must be lower case, and ACM keeps a certificate's names lower-cased.
    ("api.domain", {"name": "API.example.com"},
     "Pulumi.dev.yaml: api.domain.name: 'API.example.com' is not a lower-case DNS host name"),
    ("ingress.hostName", "Ingress.dev.shop.example.com",
     "Pulumi.dev.yaml: ingress.hostName: 'Ingress.dev.shop.example.com' is not a lower-case DNS host name"),
    ("mesh.gatewayPort", 9090, "Pulumi.dev.yaml: mesh.gatewayPort: 9090: Service Connect has no virtual gateway (its "
                               "ingress is the ALB); leave it 8080 or out, or use mesh.dataPlane: appmesh"),
    ("mesh.tls.certificateValidityHours", 4000,
     "Pulumi.dev.yaml: mesh.tls.certificateValidityHours: 4000: ECS issues and rotates Service Connect's "
     "certificates itself; leave it 2160 or out, or use mesh.dataPlane: appmesh"),
]


@pytest.mark.parametrize("scaling, message", [
    # prod's stack keeps 3 tasks, between 3 and 12: a service's own bounds that leave out what it takes.
    ({"maxCapacity": 2}, "services[0].sizing.autoscaling.maxCapacity: 2 is below 3, the minCapacity it takes from "
                         "sizing.autoscaling.minCapacity: set its minCapacity too"),
    ({"minCapacity": 1, "maxCapacity": 2}, "services[0].sizing.autoscaling.maxCapacity: 2 is below 3, the "
                                           "desiredCount it takes from sizing.desiredCount: set its desiredCount too"),
    # Its own count and bounds are its own keys, as the stack's are.
    ({"minCapacity": 1, "maxCapacity": 12, "desired": 13},
     "services[0].sizing.desiredCount: 13 is outside the autoscaling bounds (1-12)")])
def test_a_services_own_bounds_are_named_where_the_file_sets_them(scaling, message):
    scaling = dict(scaling)  # the parameter's own dict stays as it is for a rerun
    desired = scaling.pop("desired", None)
    sizing = {"autoscaling": scaling, **({"desiredCount": desired} if desired else {})}
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("prod"), "services[0].sizing", sizing), "prod")
    assert str(caught.value) == f"Pulumi.prod.yaml: {message}"


@pytest.mark.parametrize("path,value,message", BAD_INPUTS, ids=[b[0][:40] + ("-del" if b[1] is DELETE else f"-{b[1]}"[:60])
                                                                 for b in BAD_INPUTS])
def test_bad_input_gets_its_one_line_message(path, value, message):
    raw = with_value(raw_config("dev"), path, value)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_an_empty_key_is_named_quoted():
    raw = raw_config("dev")
    raw[""] = 1
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == "Pulumi.dev.yaml: '': is not a known setting"


def _key_renamed(raw: dict, path: str, new_key: str) -> dict:
    """`raw` with the key at `path` (a dotted key path, list items as [i]) renamed, its value and place kept."""
    *parents, key = re.findall(r"[^.\[\]]+", path)
    mapping = raw
    for step in parents:
        mapping = mapping[int(step)] if step.isdigit() else mapping[step]
    renamed = {(new_key if k == key else k): v for k, v in mapping.items()}
    mapping.clear()
    mapping.update(renamed)
    return raw


# A misspelt key makes a setting seem missing, or a rule between settings read it as unset; it is named first.
MISSPELT = [
    # Read as no publicPath, product-service's queryParameters would be the error.
    ("dev", "services[1].publicPath", "publicPaht",
     "Pulumi.dev.yaml: services[1].publicPaht: is not a known setting (did you mean publicPath?)"),
    ("dev", "services[1].name", "nme", "Pulumi.dev.yaml: services[1].nme: is not a known setting (did you mean name?)"),
    ("dev", "network.create", "crate", "Pulumi.dev.yaml: network.crate: is not a known setting (did you mean create?)"),
    # Elsewhere in the file, the error would be a service's externals[0] naming no external.
    ("dev", "externals", "external", "Pulumi.dev.yaml: external: is not a known setting (did you mean externals?)"),
    ("iot", "tenants", "tennants", "Pulumi.iot.yaml: tennants: is not a known setting (did you mean tenants?)"),
    ("iot", "services[0].sizing.desiredCount", "desiredcount",
     "Pulumi.iot.yaml: services[0].sizing.desiredcount: is not a known setting (did you mean desiredCount?)"),
    # Nothing else fails: the unknown key alone, with the setting it is near.
    ("dev", "services[2].publicPath", "publicPaht",
     "Pulumi.dev.yaml: services[2].publicPaht: is not a known setting (did you mean publicPath?)"),
    # A capital is a misspelling too: read as no tiers or quotas, the error was a tenant's tier or a throttle.
    ("iot", "tiers", "Tiers", "Pulumi.iot.yaml: Tiers: is not a known setting (did you mean tiers?)"),
    ("iot", "quotas", "Quotas", "Pulumi.iot.yaml: Quotas: is not a known setting (did you mean quotas?)"),
    ("iot", "websocketApi", "websocketAPI",
     "Pulumi.iot.yaml: websocketAPI: is not a known setting (did you mean websocketApi?)"),
]


@pytest.mark.parametrize("stack,path,new_key,message", MISSPELT, ids=[m[1] + "-" + m[0] for m in MISSPELT])
def test_a_misspelt_key_is_named_before_what_it_would_cause(stack, path, new_key, message):
    with pytest.raises(ConfigError) as caught:
        parse(_key_renamed(raw_config(stack), path, new_key), stack)
    assert str(caught.value) == message


def _mapping_keys(value, path: str = ""):
    """Each key path of the stack's own settings: free-form maps (tags, secrets, environment) hold no settings."""
    if isinstance(value, dict):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else key
            yield key_path
            if key not in ("tags", "secrets", "environment"):
                yield from _mapping_keys(item, key_path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _mapping_keys(item, f"{path}[{i}]")


@pytest.mark.parametrize("stack", ["dev", "prod", "iot"])
def test_every_setting_of_a_stack_misspelt_is_named(stack):
    """A letter dropped from any key of six letters or more, anywhere in the file: the error names that key (a
    setting's with the one it is near; a map's keyed by names, such as httpApi.auth.clients' tenants, as a name)."""
    unnamed = []
    for path in _mapping_keys(raw_config(stack)):
        key = re.findall(r"[^.\[\]]+", path)[-1]
        if len(key) < 6:
            continue
        typo = key[:3] + key[4:]
        try:
            parse(_key_renamed(raw_config(stack), path, typo), stack)
            unnamed.append((path, "accepted"))
        except ConfigError as error:
            if not str(error).startswith(f"Pulumi.{stack}.yaml: {path[:len(path) - len(key)]}{typo}: "):
                unnamed.append((path, str(error)))
            elif "known setting" in str(error) and f"(did you mean {key}?)" not in str(error):
                unnamed.append((path, str(error)))
    assert unnamed == []


def _asked(node):
    yield node._read
    for child in node._children:
        yield from _asked(child)


def test_no_two_settings_asked_for_at_one_place_are_near_enough_to_pass_for_misspellings():
    import difflib
    from itertools import combinations

    from components.config import ConfigNode, fail_in
    from components.config import _parse_config
    from components.config.node import MISSPELT_RATIO

    nearest = 0.0
    for stack in ("dev", "prod", "iot", "prod-eu"):
        for plane in ("serviceconnect", "appmesh"):
            raw = with_value(raw_config(stack), "mesh.dataPlane", plane)
            root = ConfigNode(fail_in("x"), "", raw)
            try:
                _parse_config(root, fail_in("x"), "x", "eu-west-1" if stack == "prod-eu" else "us-east-1", None)
            except ConfigError:
                pass  # a stack that does not run on the other plane: what it asked for until then still counts
            for asked in _asked(root):
                for a, b in combinations(sorted(asked), 2):
                    nearest = max(nearest, difflib.SequenceMatcher(None, a, b).ratio())
    assert 0.8 < nearest < MISSPELT_RATIO


def test_a_policy_configs_misspellings_are_judged_as_a_stack_files_are():
    """tools/ imports nothing from components/, so the preview keeps its own copy of the ratio: held equal here."""
    from components.config.node import MISSPELT_RATIO
    from tools.policyeval import _NEAR_RATIO

    assert _NEAR_RATIO == MISSPELT_RATIO


def test_errors_name_the_stack_file_they_came_from():
    raw = with_value(raw_config("prod"), "services[2].port", 0)
    with pytest.raises(ConfigError, match=r"^Pulumi\.prod\.yaml: services\[2\]\.port: 0 is not a port"):
        parse_config(raw, "Pulumi.prod.yaml", "us-east-1")


def test_missing_region_is_reported():
    with pytest.raises(ConfigError, match=r"^Pulumi\.dev\.yaml: aws:region: is required$"):
        parse_config(raw_config("dev"), "Pulumi.dev.yaml", None)


def test_per_service_sizing_overrides_only_what_it_names():
    raw = with_value(raw_config("dev"), "services[3].sizing", {"cpu": 1024, "memory": 2048})
    config = parse(raw)
    payment, user = config.service("payment-service"), config.service("user-service")
    assert (payment.sizing.cpu, payment.sizing.memory) == (1024, 2048)
    assert payment.sizing.autoscaling == user.sizing.autoscaling
    assert payment.sizing.desired_count == user.sizing.desired_count


def test_the_stack_wide_health_check_names_each_service_port_and_path_and_a_service_may_replace_it():
    raw = with_value(raw_config("dev"), "services[1].healthCheckPath", "/ready")
    raw = with_value(raw, "services[1].port", 8080)
    raw = with_value(raw, "services[3].containerHealthCheck", {"command": ["/bin/healthcheck", "--quick"],
                                                               "intervalSeconds": 10, "timeoutSeconds": 2})
    config = parse(raw)
    user, product, payment = (config.service(n) for n in ("user-service", "product-service", "payment-service"))
    assert user.container_health_check == ContainerHealthCheck(
        command=("CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"), start_period_seconds=30)
    assert product.container_health_check.command == ("CMD-SHELL", "curl -fsS http://localhost:8080/ready || exit 1")
    # A service's own check replaces the stack's whole: ECS's defaults for what it leaves out.
    assert payment.container_health_check == ContainerHealthCheck(
        command=("CMD", "/bin/healthcheck", "--quick"), interval_seconds=10, timeout_seconds=2, retries=3,
        start_period_seconds=0)


def test_without_a_health_check_setting_no_service_has_one():
    config = parse(with_value(raw_config("dev"), "containerHealthCheck", DELETE))
    assert [s.container_health_check for s in config.services] == [None] * len(config.services)


def test_a_health_path_stays_one_shell_word():
    """`&` in a query string would otherwise send curl to the background, and the check would always pass."""
    raw = with_value(raw_config("dev"), "services[3].healthCheckPath", "/health?deep=1&x=2")
    assert parse(raw).service("payment-service").container_health_check.command == (
        "CMD-SHELL", "curl -fsS http://localhost:8000'/health?deep=1&x=2' || exit 1")
    raw = with_value(raw, "containerHealthCheck.command", ["/bin/check", "{path}"])
    assert parse(raw).service("payment-service").container_health_check.command == (
        "CMD", "/bin/check", "/health?deep=1&x=2")


def test_a_shell_s_own_braces_stay_as_written():
    raw = with_value(raw_config("dev"), "containerHealthCheck.command", "wget -q -O- localhost:${PORT:-{port}}{path}")
    assert parse(raw).service("payment-service").container_health_check.command == (
        "CMD-SHELL", "wget -q -O- localhost:${PORT:-8000}/health")


@pytest.mark.parametrize("key,member", [("intervalSeconds", "interval"), ("timeoutSeconds", "timeout"),
                                        ("retries", "retries"), ("startPeriodSeconds", "startPeriod")])
def test_health_check_ranges_are_ecs(key, member):
    """Config refuses what tools/apicheck's ECS ranges (from botocore's HealthCheck documentation) would."""
    documented = apicheck.DOCUMENTED[("ecs", "HealthCheck", member)]
    for value, accepted in ((documented.minimum - 1, False), (documented.minimum, True),
                            (documented.maximum, True), (documented.maximum + 1, False)):
        raw = with_value(raw_config("dev"), f"containerHealthCheck.{key}", value)
        if accepted:
            parse(raw)
        else:
            with pytest.raises(ConfigError, match=f"containerHealthCheck.{key}: {value} is not between"):
                parse(raw)


def test_permissive_tls_only_when_named():
    assert parse(raw_config("dev")).mesh.tls.mode == "STRICT"
    app_mesh = with_value(raw_config("dev"), "mesh.dataPlane", "appmesh")
    assert parse(with_value(app_mesh, "mesh.tls", {"mode": "PERMISSIVE"})).mesh.tls.mode == "PERMISSIVE"
    assert parse(with_value(app_mesh, "mesh.tls", {})).mesh.tls.mode == "STRICT"
    # The settings Service Connect does not read may stay in its stack file, as the shipped ones keep them.
    assert parse(with_value(app_mesh, "mesh.dataPlane", "serviceconnect")).mesh.ip_preference == "IPv4_ONLY"


def test_a_canary_without_callers_keeps_its_weight_and_on_app_mesh_its_header_match():
    uncalled = with_value(raw_config("dev"), "services[2].calls", ["payment-service"])
    user = parse(with_value(copy.deepcopy(uncalled), "services[0].versions[1].headerMatch", DELETE)).services[0]
    assert (user.canary_version.weight, user.canary_version.header_match) == (10, None)
    # App Mesh's virtual gateway routes API Gateway's requests through the same header route.
    app_mesh = parse(with_value(uncalled, "mesh.dataPlane", "appmesh")).services[0]
    assert app_mesh.canary_version.header_match.exact == "true"


def test_app_mesh_takes_an_idle_timeout_shorter_than_the_per_request_one():
    # Service Connect refuses it (BAD_INPUTS): the plane's trait decides, not the timeouts' reader.
    app_mesh = with_value(raw_config("dev"), "mesh.dataPlane", "appmesh")
    timeouts = parse(with_value(app_mesh, "services[3].timeouts", {"idleMs": 2000, "perRequestMs": 60000})).services[3]
    assert (timeouts.timeouts.idle_ms, timeouts.timeouts.per_request_ms) == (2000, 60000)


def test_service_without_versions_runs_its_image_at_full_weight():
    config = parse(raw_config("dev"))
    product = config.service("product-service")
    assert [(v.name, v.weight, v.image) for v in product.versions] == [("v1", 100, product.image)]


def test_three_azs_need_a_slash_17():
    raw = with_value(raw_config("prod"), "network.create.cidr", "10.30.0.0/18")
    raw["network"]["firewall"] = False
    with pytest.raises(ConfigError, match=r"^Pulumi.prod.yaml: network.create.cidr: 10.30.0.0/18 holds 4 /20 "
                                          r"subnets; azSlots 3 needs 6$"):
        parse(raw, "prod")
    assert parse(with_value(raw, "network.create.cidr", "10.30.0.0/17"), "prod").network.create.az_count == 3


# AWS's Fargate task sizes (the ECS developer guide's task-size table; tools/apicheck checks this table
# against the RegisterTaskDefinition documentation that botocore ships).
AWS_FARGATE_SIZES = {
    256: [512, 1024, 2048],
    512: [1024 * gib for gib in range(1, 5)],
    1024: [1024 * gib for gib in range(2, 9)],
    2048: [1024 * gib for gib in range(4, 17)],
    4096: [1024 * gib for gib in range(8, 31)],
    8192: [1024 * gib for gib in range(16, 61, 4)],
    16384: [1024 * gib for gib in range(32, 121, 8)],
}


def _sized(cpu, memory, raw=None):
    """dev's config with this task size; pass `raw` to reuse one copy (parse_config never changes its input)."""
    return with_value(with_value(raw or raw_config("dev"), "sizing.cpu", cpu), "sizing.memory", memory)


def test_every_fargate_size_aws_accepts_is_accepted():
    for cpu, memories in AWS_FARGATE_SIZES.items():
        for memory in memories:
            sizing = parse(_sized(cpu, memory)).sizing
            assert (sizing.cpu, sizing.memory) == (cpu, memory)


def test_every_other_size_is_rejected_with_one_line():
    raw = raw_config("dev")
    for cpu in list(AWS_FARGATE_SIZES) + [128, 3072]:
        for memory in range(256, 124 * 1024, 256):
            if memory in AWS_FARGATE_SIZES.get(cpu, ()):
                continue
            with pytest.raises(ConfigError) as caught:
                parse(_sized(cpu, memory, raw))
            message = str(caught.value)
            assert "\n" not in message
            if cpu in AWS_FARGATE_SIZES:
                assert message.startswith(f"Pulumi.dev.yaml: sizing.memory: {memory} MiB does not fit {cpu} CPU units")
            else:
                assert message == (f"Pulumi.dev.yaml: sizing.cpu: {cpu} is not a Fargate CPU size "
                                   f"(256, 512, 1024, 2048, 4096, 8192, 16384)")


def test_fargate_size_messages_list_what_fits():
    with pytest.raises(ConfigError, match=r"1536 MiB does not fit 256 CPU units on Fargate \(512, 1024 or 2048\)$"):
        parse(_sized(256, 1536))
    with pytest.raises(ConfigError, match=r"18432 MiB does not fit 8192 CPU units on Fargate "
                                          r"\(16384-61440 in steps of 4096\)$"):
        parse(_sized(8192, 18432))


def _with_externals(stack: str, count: int) -> dict:
    raw = raw_config(stack)
    raw["externals"] = [{"name": f"partner-{i}", "host": f"api.partner-{i}.example.com", "port": 443}
                        for i in range(count)]
    for service in raw["services"]:  # the one that calls an external calls them all
        if service.pop("externals", None):
            service["externals"] = [external["name"] for external in raw["externals"]]
    return raw


def test_firewall_allow_list_refuses_more_hosts_than_its_rule_group_holds():
    from components.config import MAX_FIREWALL_EXTERNALS

    assert len(parse(_with_externals("prod", MAX_FIREWALL_EXTERNALS), "prod").externals) == MAX_FIREWALL_EXTERNALS
    with pytest.raises(ConfigError) as caught:
        parse(_with_externals("prod", MAX_FIREWALL_EXTERNALS + 1), "prod")
    assert str(caught.value) == (f"Pulumi.prod.yaml: externals: {MAX_FIREWALL_EXTERNALS + 1} hosts are more than the "
                                 f"Network Firewall's allow-list holds ({MAX_FIREWALL_EXTERNALS}; network.firewall "
                                 f"is on)")
    # Without the firewall, security groups and DNS Firewall carry no such fixed capacity.
    assert len(parse(_with_externals("dev", MAX_FIREWALL_EXTERNALS + 1)).externals) == MAX_FIREWALL_EXTERNALS + 1


@pytest.mark.parametrize("key,value", [("calls", ["order-service", "order-service"]),
                                       ("externals", ["payment-provider", "payment-provider"])])
def test_a_service_names_each_callee_and_external_once(key, value):
    raw = with_value(raw_config("dev"), f"services[3].{key}", value)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == f"Pulumi.dev.yaml: services[3].{key}[1]: {value[1]!r} is listed twice"


def _renamed(raw: dict, index: int, name: str) -> dict:
    """raw with services[index] renamed, and its callers calling the new name."""
    old = raw["services"][index]["name"]
    raw["services"][index]["name"] = name
    for service in raw["services"]:
        service["calls"] = [name if c == old else c for c in service.get("calls", [])]
    return raw


def _with_versions(raw: dict, index: int, *versions: str) -> dict:
    """raw with services[index] running `versions` (the first on the service's image)."""
    raw["services"][index]["versions"] = [{"name": v, "weight": 100 if i == 0 else 0,
                                       **({"image": "example.com/payment:2.0.0"} if i else {})}
                                      for i, v in enumerate(versions)]
    return raw


@pytest.mark.parametrize("edit, message", [
    # A rule naming its peer "ingress" (the load balancer) next to one naming a service so called.
    (lambda raw: _renamed(raw, 3, "ingress"),
     "services[3].name: ingress is how a security group rule names a peer that is not a service; choose another "
     "name"),
    # dev-ecommerce-api-5xx-rate: the REST API's alarm, which the global health check follows.
    (lambda raw: _renamed(raw, 3, "ecommerce-api"),
     "services[3].name: makes the traffic alarm name dev-ecommerce-api, which is already the REST API's; choose "
     "another"),
    # dev-user-service-alb-5xx-rate: user-service's load balancer alarm.
    (lambda raw: _renamed(raw, 3, "user-service-alb"),
     "services[3].name: makes the traffic alarm name dev-user-service-alb, which is already user-service's; choose "
     "another"),
    # /users' proxy resource, dev-api-users-proxy: named at the path that made it.
    (lambda raw: with_value(raw, "services[3].publicPath", "/users-proxy"),
     "services[3].publicPath: makes the API resource name users-proxy, which is already user-service's; choose "
     "another"),
    # user-service has a canary: its second target group is user-service-alt, its rule user-service-shift.
    (lambda raw: with_value(_renamed(raw, 3, "user-service-alt"), "services[3].publicPath", "/payments"),
     "services[3].name: makes the target group name user-service-alt, which is already user-service's; choose "
     "another"),
    (lambda raw: with_value(_renamed(raw, 3, "user-service-shift"), "services[3].publicPath", "/payments"),
     "services[3].name: makes the listener rule name user-service-shift, which is already user-service's; choose "
     "another"),
])
def test_names_the_program_joins_from_a_service_must_come_out_apart(edit, message):
    """Two alike were one resource to the engine (a duplicate URN) or one alarm to CloudWatch (overwritten)."""
    with pytest.raises(ConfigError) as caught:
        parse(edit(raw_config("dev")))
    assert str(caught.value) == f"Pulumi.dev.yaml: {message}"


# How each kind of name config keeps apart is found among the resources the layers make from it.
_MADE_AS = {
    "target group": lambda r, name: r.type == "aws:lb/targetGroup:TargetGroup" and r.name.endswith(f"-{name}"),
    "listener rule": lambda r, name: r.type == "aws:lb/listenerRule:ListenerRule" and r.name.endswith(f"-{name}"),
    "virtual node": lambda r, name: r.type == "aws:appmesh/virtualNode:VirtualNode" and r.inputs["name"] == name,
    "virtual service resource": lambda r, name: (r.type == "aws:appmesh/virtualService:VirtualService"
                                                 and f"-{name}-" in r.name),
    "API resource": lambda r, name: r.type == "aws:apigateway/resource:Resource" and r.name.endswith(f"-{name}"),
    "workload alarm": lambda r, name: (r.type == "aws:cloudwatch/metricAlarm:MetricAlarm"
                                       and r.inputs["name"].startswith(f"{name}-")),
}
_MADE_AS["traffic alarm"] = _MADE_AS["workload alarm"]


@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_the_names_config_keeps_apart_are_the_names_the_layers_make(plane, monkeypatch):
    """Config predicts the names the layers join from a service's settings; a layer naming them another way would
    leave the check guarding names nothing makes. dev has a canary public service (its second target group and
    shifting rule) and, on App Mesh, a workload per version."""
    from components.config import services as service_config
    predicted, derive = [], service_config._derived_names
    monkeypatch.setattr(service_config, "_derived_names",
                        lambda *args: predicted.extend(derive(*args)) or derive(*args))
    parse(with_value(raw_config("dev"), "mesh.dataPlane", plane))
    resources = preview("dev", config_overrides=[f"mesh.dataPlane={plane}"]).resources
    plane_kinds = {"serviceconnect": {"target group", "listener rule"},  # behind the ingress ALB
                   "appmesh": {"virtual node", "virtual service resource"}}[plane]
    assert {kind for _, kind, _ in predicted} == {"API resource", "workload alarm", "traffic alarm", *plane_kinds}
    assert [(kind, name) for _, kind, name in predicted
            if not any(_MADE_AS[kind](r, name) for r in resources)] == []


def test_a_public_path_named_like_the_stage_the_environment_names_is_refused_at_the_path():
    # With api.stageName left out, the publicPath is the key a user changed; the environment is related.
    raw = with_value(with_value(raw_config("dev"), "api.stageName", DELETE), "services[0].publicPath", "/dev")
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (
        "Pulumi.dev.yaml: services[0].publicPath: /dev is also the API's stage name (the environment's): the "
        "ingress could not tell /dev/<path> from the service's own paths")
    assert caught.value.related == ("environment",)


@pytest.mark.parametrize("name, plane, reason", [
    ("ingress", "serviceconnect", "is how a security group rule names a peer that is not a service"),
    ("internet", "serviceconnect", "is how a security group rule names a peer that is not a service"),
    ("ingress-gateway", "appmesh", "is the ingress gateway's mesh identity"),
    ("mesh", "serviceconnect", None),  # a Service Connect rule always names its peer
    ("mesh", "appmesh", None),
    ("ingress", "appmesh", None),  # App Mesh's rules name no peer by a service's name
    ("internet", "appmesh", None),
    ("external", "serviceconnect", None),  # App Mesh's prefix for an external's node: external-v1 is not one
    ("external", "appmesh", None),
    ("ingress-gateway", "serviceconnect", None),
    ("user-service-envoy", "serviceconnect", None),  # App Mesh's traffic alarms' prefix
    ("user-service-envoy", "appmesh", None),
])
def test_a_plane_reserves_only_the_names_it_joins_into_others(name, plane, reason):
    raw = with_value(_renamed(raw_config("dev"), 3, name), "mesh.dataPlane", plane)
    if reason is None:
        assert parse(raw).services[3].name == name
        return
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == f"Pulumi.dev.yaml: services[3].name: {name} {reason}; choose another name"


@pytest.mark.parametrize("edit, message", [
    # App Mesh runs a workload per version: payment + service-v1 and payment-service + v1 are one.
    (lambda raw: _with_versions(_renamed(raw, 2, "payment"), 2, "service-v1"),
     "services[3].name: makes the workload alarm name dev-payment-service-v1, which is already payment's; choose "
     "another"),
    # The egress virtual node external-payment-provider, named at the version that made it.
    (lambda raw: _with_versions(_renamed(raw, 3, "external"), 3, "payment-provider"),
     "services[3].versions[0].name: makes the virtual node name external-payment-provider, which is already "
     "external payment-provider's; choose another"),
    # The external's virtual service resource, <mesh>-external-payment-provider-service, is named like this one's.
    (lambda raw: _renamed(raw, 3, "external-payment-provider"),
     "services[3].name: makes the virtual service resource name external-payment-provider, which is already "
     "external payment-provider's; choose another"),
    # The gateway's own workload: ingress + gateway is labelled like it (its ECS service and alarms).
    (lambda raw: _with_versions(_renamed(raw, 3, "ingress"), 3, "gateway"),
     "services[3].versions[0].name: makes the workload alarm name dev-ingress-gateway, which is already the "
     "plane's ingress-gateway's; choose another"),
    (lambda raw: _with_versions(_renamed(raw, 3, "ingress-gateway"), 3, "nlb"),
     "services[3].name: ingress-gateway is the ingress gateway's mesh identity; choose another name"),
])
def test_app_mesh_names_a_workload_per_version_apart_from_the_others(edit, message):
    with pytest.raises(ConfigError) as caught:
        parse(edit(_app_mesh_dev()))
    assert str(caught.value) == f"Pulumi.dev.yaml: {message}"


def test_service_connect_names_no_mesh_resource_after_an_external():
    assert parse(_renamed(raw_config("dev"), 3, "external-payment-provider")).services[3].name == (
        "external-payment-provider")


@pytest.mark.parametrize("host", ["user-service.dev.ecommerce.local", "dev.ecommerce.local", "a.b.dev.ecommerce.local"])
@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_an_external_host_in_the_services_own_namespace_is_refused(host, plane):
    raw = with_value(with_value(raw_config("dev"), "mesh.dataPlane", plane), "externals[0].host", host)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (f"Pulumi.dev.yaml: externals[0].host: {host} is in this stack's service namespace "
                                 "dev.ecommerce.local, where the mesh names its own services; an external is a host "
                                 "outside it")


@pytest.mark.parametrize("host", ["dev.ecommerce.local.example.com", "xdev.ecommerce.local", "ecommerce.local"])
def test_an_external_host_beside_the_namespace_is_taken(host):
    assert parse(with_value(raw_config("dev"), "externals[0].host", host)).externals[0].host == host


def test_each_planes_traffic_alarm_prefix_is_the_one_its_alarms_are_named_with():
    """Config predicts the alarm names the observability layer makes from each plane's traffic source."""
    from components.config import APP_MESH, PLANES, SERVICE_CONNECT
    from components.observability import EnvoySignals, ServiceConnectSignals

    assert PLANES[APP_MESH].traffic_alarm_prefix == EnvoySignals.alarm_prefix == "envoy-"
    assert PLANES[SERVICE_CONNECT].traffic_alarm_prefix == ServiceConnectSignals.alarm_prefix == ""


def test_app_mesh_traffic_alarms_carry_envoy_so_a_service_named_like_the_api_stays_open():
    """On App Mesh a workload's 5xx and p99 alarms are <label>-envoy-...: ecommerce + api makes no REST API alarm."""
    raw = _with_versions(_renamed(_app_mesh_dev(), 3, "ecommerce"), 3, "api")
    assert parse(raw).services[3].versions[0].name == "api"


def test_a_service_named_like_the_http_apis_alarm_is_refused():
    raw = _renamed(raw_config("iot"), 3, "http-api")
    with pytest.raises(ConfigError) as caught:
        parse(raw, "iot")
    assert str(caught.value) == ("Pulumi.iot.yaml: services[3].name: makes the traffic alarm name iot-http-api, "
                                 "which is already the HTTP API's; choose another")


def test_a_service_named_like_the_websocket_apis_alarms_is_taken():
    """The WebSocket API's alarms are ws-api-error-rate and ws-api-4xx-rate; a service's are 5xx-rate and
    p99-latency: no name alike."""
    assert parse(_renamed(raw_config("iot"), 3, "ws-api"), "iot").services[3].name == "ws-api"


@pytest.mark.parametrize("name, kind, whose", [
    ("iot-iot-http-api", "API", "HTTP"),          # one access log group, /iot/apigateway/iot-iot-http-api/access
    ("iot-iot-ws-api", "API", "WebSocket"),
    ("iot-http-api", "API alarm", "HTTP"),        # iot-http-api-4xx-rate twice
    ("iot-ws-api", "API alarm", "WebSocket"),
])
def test_a_rest_api_named_like_a_device_api_or_its_alarms_is_refused(name, kind, whose):
    """The device APIs' names are the program's: a REST API named alike made a second log group of one name (the
    first `up` fails) or alarms of one name (each overwrote the other), which config took."""
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("iot"), "api.name", name), "iot")
    assert str(caught.value) == (
        f"Pulumi.iot.yaml: api.name: makes the {kind} name {name}, which is already the {whose} API's (its access "
        "log group and alarms are named from it); choose another")
    # Without device APIs, the names are free.
    free = name.replace("iot-", "dev-", 1)
    assert parse(with_value(raw_config("dev"), "api.name", free)).api.name == free


def test_a_service_name_that_would_overflow_its_iam_roles_auto_name_is_refused():
    # dev-<name>-sc-execution plus pulumi-aws's 8 characters: 39 fits IAM's 64 exactly, 40 does not.
    assert parse(_renamed(raw_config("dev"), 3, "p" * 39)).services[3].name == "p" * 39
    with pytest.raises(ConfigError) as caught:
        parse(_renamed(raw_config("dev"), 3, "p" * 40))
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: services[3].name: gives the IAM role 'dev-{'p' * 40}-sc-execution', which with "
        f"pulumi-aws's 8-character suffix is 65 characters, more than IAM's 64: shorten the service name by 1")


def test_on_app_mesh_a_version_name_that_would_overflow_its_iam_roles_auto_name_is_refused():
    raw = with_value(_renamed(raw_config("dev"), 0, "u" * 30), "mesh.dataPlane", "appmesh")
    # <service>-<version>-execution: 30 + 1 + 15 + 10 = 56, plus 8.
    assert parse(with_value(copy.deepcopy(raw), "services[0].versions[1].name", "v" * 15)).services[0].versions[1].name
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw, "services[0].versions[1].name", "v" * 16))
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: services[0].versions[1].name: gives the IAM role '{'u' * 30}-{'v' * 16}-execution', which "
        f"with pulumi-aws's 8-character suffix is 65 characters, more than IAM's 64: shorten the service or version "
        f"name by 1")


@pytest.mark.parametrize("plane,service,version", [("serviceconnect", "p" * 39, None),
                                                   ("appmesh", "u" * 30, "v" * 15)])
def test_the_longest_names_config_accepts_give_roles_the_provider_accepts(tmp_path, plane, service, version):
    """The limit config enforces is the one the roles really meet (apicheck knows the provider's auto-names)."""
    import yaml

    from tests.conftest import program_with_stack
    from tools.preview import run_preview

    def edit(text: str) -> str:
        doc = yaml.safe_load(text)
        raw = {k.split(":", 1)[1]: v for k, v in doc["config"].items() if k.startswith("service-mesh-platform:")}
        _renamed(raw, 0, service)
        raw["mesh"]["dataPlane"] = plane
        if version:
            raw["services"][0]["versions"][1]["name"] = version
        doc["config"].update({f"service-mesh-platform:{k}": v for k, v in raw.items()})
        return yaml.safe_dump(doc)

    result = run_preview("dev", program_with_stack(tmp_path, "dev", edit), None, None)
    assert result.error is None, result.error
    longest = max((r.name for r in result.resources if r.type == "aws:iam/role:Role"), key=len)
    assert service in longest and len(longest) + 8 == 64  # one character more and config refuses it (above)
    assert result.api_errors == []


@pytest.mark.parametrize("path,value", [
    ("quotas", {"securityGroupRules": 60, "restResourcesPerApi": 300}),  # AWS's defaults
    ("quotas", {"securityGroupRules": 500}),  # 500 x 2 groups
    # 3 x 6 verbs + 2: a usage plan's 20 method throttles.
    ("api.usagePlans[2].methodThrottles",
     [*map(_throttle, _PUBLIC_RESOURCES[:3]), _throttle("/orders", "GET"), _throttle("/orders", "POST")]),
    ("tags", {f"Tag{i:02d}": "x" for i in range(48)}),  # + AlarmKind and Severity = 50
    (f"tags.{'k' * 128}", "x" * 256),
    ("tags.Cost Center", "Équipe 7: a+b=c@d/e_f.g-h"),  # every character AWS allows
])
def test_quotas_at_their_boundary_fit(path, value):
    parse(with_value(raw_config("dev"), path, value))


_OTHER_PARTITION = ("is in the aws-us-gov partition, and the stack's is aws: IAM refuses another partition's ARN in "
                    "the policy that grants it (MalformedPolicyDocument); use the aws partition's")


@pytest.mark.parametrize("path,value,where", [
    ("services[3].secrets.PAYMENT_PROVIDER_API_KEY",
     "arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:dev/payment-provider-key-AbCdEf",
     "services[3].secrets.PAYMENT_PROVIDER_API_KEY"),
    ("services[3].secrets.PAYMENT_PROVIDER_API_KEY", "arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter/dev/key",
     "services[3].secrets.PAYMENT_PROVIDER_API_KEY"),
    ("services[3].secretsKmsKeys", ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                                    "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234"],
     "services[3].secretsKmsKeys[1]"),
])
def test_an_arn_an_iam_policy_grants_is_of_the_stacks_partition(path, value, where):
    """The execution role's policy grants the secrets and their keys as written: in a us-east-1 stack, IAM refuses a
    GovCloud ARN there (`Partition "aws-us-gov" is not valid for resource`), and the first update fails."""
    raw = with_value(with_value(raw_config("dev"), "network.endpoints", False), path, value)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == f"Pulumi.dev.yaml: {where}: {_OTHER_PARTITION}"


def test_an_image_in_another_partitions_ecr_is_refused():
    """The execution role is granted pulls on an ECR image's repository ARN: a China region's registry is in the
    aws-cn partition, whose ARN IAM refuses in a us-east-1 stack's policy (the first update fails)."""
    image = "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/ecommerce/order-service:1.0.0"
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("dev"), "services[1].image", image))
    assert str(caught.value) == (f"Pulumi.dev.yaml: services[1].image: {image} "
                                 + _OTHER_PARTITION.replace("aws-us-gov", "aws-cn"))


@pytest.mark.parametrize("path", ["services[1].image", "services[0].versions[1].image", "mesh.envoyImage"])
@pytest.mark.parametrize("image,registry", [
    ("nginx:1.27", "docker.io"), ("library/nginx:1.27", "docker.io"), ("ghcr.io/example/orders:1.0", "ghcr.io"),
    ("registry.example.com:5000/orders:1.0", "registry.example.com:5000"),
    ("111122223333.dkr.ecr.us-west-2.amazonaws.com/ecommerce/order-service:1.0.0",
     "111122223333.dkr.ecr.us-west-2.amazonaws.com")])
def test_an_image_tasks_cannot_pull_through_the_egress_controls_is_refused(path, image, registry):
    """The DNS Firewall answers this region's ECR and the externals only: an image in Docker Hub, another registry or
    another region's ECR passed config, and every task of the service stopped with CannotPullContainerError."""
    raw = _app_mesh_dev() if path == "mesh.envoyImage" else raw_config("dev")
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw, path, image))
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: {path}: is pulled from {registry}, which tasks cannot reach: the egress DNS Firewall "
        "answers this region's ECR (<account>.dkr.ecr.us-east-1.amazonaws.com) and no other registry; push the image "
        "to ECR in us-east-1, or take it from public.ecr.aws, which tasks pull through the dev-ecr-public cache rule")
    # This region's ECR, any account's, and ECR Public through the cache are pulled.
    for good in ("444455556666.dkr.ecr.us-east-1.amazonaws.com/shared/orders:1.0", "public.ecr.aws/nginx/nginx:1.27"):
        assert parse(with_value(copy.deepcopy(raw), path, good))


def test_a_jwt_authorizer_of_another_partition_is_refused():
    """API Gateway's invoke role grants lambda:InvokeFunction on the authorizer's ARN as written."""
    raw = with_value(raw_config("dev"), "api.auth", {
        "type": "jwt", "authorizerLambdaArn": "arn:aws-cn:lambda:cn-north-1:111122223333:function:jwt-check"})
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == ("Pulumi.dev.yaml: api.auth.authorizerLambdaArn: "
                                 + _OTHER_PARTITION.replace("aws-us-gov", "aws-cn"))
    parse(with_value(raw, "api.auth.authorizerLambdaArn", "arn:aws:lambda:us-east-1:111122223333:function:jwt-check"))


def test_endpoint_accounts_need_the_endpoints():
    raw = with_value(with_value(raw_config("dev"), "network.endpoints", False), "network.endpointAccounts",
                     ["210987654321"])
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == "Pulumi.dev.yaml: network.endpointAccounts: only applies when network.endpoints is on"
    assert parse(with_value(raw, "network.endpoints", True)).network.endpoint_accounts == ("210987654321",)


def test_a_raised_method_throttle_quota_admits_as_many_throttled_methods():
    raw = with_value(raw_config("dev"), "api.usagePlans[2].methodThrottles", list(map(_throttle, _PUBLIC_RESOURCES[:4])))
    plan = parse(with_value(raw, "quotas", {"methodThrottlesPerPlan": 24})).api.usage_plans[2]
    assert [(t.path, verb) for t in plan.method_throttles for verb in t.verbs] == [
        (path, verb) for path in _PUBLIC_RESOURCES[:4] for verb in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")]


def test_app_mesh_tasks_join_three_groups_so_the_rules_quota_tops_out_lower():
    raw = with_value(raw_config("dev"), "mesh.dataPlane", "appmesh")
    assert parse(with_value(raw, "quotas", {"securityGroupRules": 333})).quotas.security_group_rules == 333
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw, "quotas", {"securityGroupRules": 334}))
    assert str(caught.value) == (
        "Pulumi.dev.yaml: quotas.securityGroupRules: 334 is not possible: AWS keeps rules per security group x "
        "security groups per network interface within 1000, and each task joins 3 groups (at most 333)")


def _generated(n: int, shape: str = "") -> dict:
    """bench's generated stack of n services (one in five public, each calling the next two; svc-000 has a canary),
    as parse takes it, grown into a shape that meets a quota."""
    from bench.preview_bench import generated_stack

    raw = project_config(generated_stack(n)["config"])
    services = raw["services"]
    if shape == "hub":  # everyone also calls svc-000 (auth, config)
        for service in services[1:]:
            service["calls"].append("svc-000")
    elif shape == "fan-out":  # svc-000 calls every other service and the payment provider
        services[0]["calls"] = [s["name"] for s in services[1:]]
        services[0]["externals"] = ["payment-provider"]
    elif shape == "all public":
        for i, service in enumerate(services):
            service["publicPath"] = f"/svc{i:03d}"
    elif shape == "two-way chain":  # each also calls the one before it: every call back is a cycle's
        for previous, service in zip(services, services[1:]):
            service["calls"].append(previous["name"])
    return raw


# (shape, the most services that fit, other settings, what one service more gets)
QUOTA_LIMITS = [
    ("hub", 60, {}, "services[0]: 60 callers + the ingress ALB need 61 inbound rules on svc-000's security group, "
                    "more than quotas.securityGroupRules (60)"),
    ("fan-out", 60, {}, "services[0].calls: 60 callees + 1 internet port need 61 outbound rules on svc-000's security "
                        "group, more than quotas.securityGroupRules (60)"),
    ("all public", 60, {}, "services: 61 public services need 61 outbound rules on the ingress ALB's security group, "
                           "more than quotas.securityGroupRules (60)"),
    # With the rules quota raised, the ALB's target groups (never raised) bind next.
    ("all public", 99, {"quotas": {"securityGroupRules": 200}},
     "services: 100 public services + 1 canary version need 101 target groups on the ingress ALB; an ALB holds at "
     "most 100 (AWS does not raise it)"),
    # Scaled out to 12 tasks each and deploying, 42 public services would register 1,008 targets with the ALB.
    ("all public", 41, {"sizing.autoscaling.maxCapacity": 12},
     "sizing.autoscaling.maxCapacity: 42 public services at their maxCapacity, twice over while they deploy, are up "
     "to 1,008 targets of the ingress ALB, more than quotas.albTargets (1,000): registering the tasks past it fails, "
     "stalling scale-outs and deployments"),
    ("all public", 83, {"sizing.autoscaling.maxCapacity": 12, "quotas": {"albTargets": 2000, "securityGroupRules": 100}},
     "sizing.autoscaling.maxCapacity: 84 public services at their maxCapacity, twice over while they deploy, are up "
     "to 2,016 targets of the ingress ALB, more than quotas.albTargets (2,000): registering the tasks past it fails, "
     "stalling scale-outs and deployments"),
    # App Mesh's NLB has one target group and its gateway one rule per port: the REST API's resources bind.
    ("all public", 149, {"mesh.dataPlane": "appmesh"},
     "services: 150 public paths need 301 REST API resources (the root, each path and its {proxy+} child), more "
     "than quotas.restResourcesPerApi (300)"),
    # Each service but the last calls one declared after it: the restart function's role names each one's ECS service.
    ("two-way chain", 143, {},
     "services: 143 services calling one declared after them (a call cycle) make the inline policy of the late-caller "
     "restart function's role 10,295 characters, more than the 10,240 IAM allows a role's inline policies together"),
    # Two roles a version (svc-000 has two) and the gateway's two: 499 services make 1,002 (their tasks raised past
    # the Cloud Map namespace's default).
    ("", 498, {"mesh.dataPlane": "appmesh", "quotas": {"cloudMapInstancesPerNamespace": 10000}},
     "services: 500 versions' task and execution roles + the ingress gateway's are 1,002 IAM roles, more than "
     "quotas.iamRoles (1,000): IAM refuses the roles past it and the `up` stops part-way"),
]


@pytest.mark.parametrize("shape,most,settings,message", QUOTA_LIMITS,
                         ids=[f"{shape}-{most}-{'-'.join(settings)}" for shape, most, settings, _ in QUOTA_LIMITS])
def test_a_stack_past_a_quota_is_refused_with_the_key_and_the_count(shape, most, settings, message):
    def grown(n: int) -> dict:
        raw = _generated(n, shape)
        for path, value in settings.items():
            with_value(raw, path, value)
        return raw

    assert len(parse(grown(most)).services) == most
    with pytest.raises(ConfigError) as caught:
        parse(grown(most + 1))
    assert str(caught.value) == f"Pulumi.dev.yaml: {message}"


def _scaled(raw: dict, sizing: str, most: int) -> dict:
    """raw with the sizing at `sizing` (the stack's, or a service's own override) scaling from 1 to `most` tasks."""
    if sizing == "sizing":
        return with_value(raw, "sizing.autoscaling.maxCapacity", most)
    return with_value(raw, sizing, {"autoscaling": {"minCapacity": 1, "maxCapacity": most}})


def _app_mesh(raw: dict) -> dict:
    return with_value(raw, "mesh.dataPlane", "appmesh")


def test_a_service_that_would_register_more_tasks_than_its_cloud_map_service_holds_is_refused():
    """App Mesh's service registries register every task in the service's Cloud Map service, which holds 1,000
    (never raised): at 501 tasks, a deployment's second 501 cannot register."""
    assert parse(_scaled(_app_mesh(raw_config("dev")), "services[3].sizing", 500)).services[3].sizing
    with pytest.raises(ConfigError) as caught:
        parse(_scaled(_app_mesh(raw_config("dev")), "services[3].sizing", 501))
    assert str(caught.value) == (
        "Pulumi.dev.yaml: services[3].sizing.autoscaling.maxCapacity: 501 lets payment-service register up to 1,002 "
        "tasks in its Cloud Map service (its tasks at maxCapacity, twice over while deploying), more than the 1,000 "
        "Cloud Map holds (AWS does not raise it)")
    # A service's own sizing that leaves autoscaling to the stack's: the key is the stack's.
    raw = with_value(_scaled(_app_mesh(raw_config("dev")), "sizing", 501), "services[3].sizing",
                     {"logRetentionDays": 30})
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value).startswith("Pulumi.dev.yaml: sizing.autoscaling.maxCapacity: 501 lets user-service")


def test_on_app_mesh_every_version_registers_in_the_service_s_one_cloud_map_service():
    raw = _scaled(_app_mesh(raw_config("dev")), "sizing", 251)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (
        "Pulumi.dev.yaml: sizing.autoscaling.maxCapacity: 251 lets user-service register up to 1,004 tasks in its "
        "Cloud Map service (2 versions, each at maxCapacity, twice over while deploying), more than the 1,000 Cloud "
        "Map holds (AWS does not raise it)")
    # 1,000 for user-service's two versions and 500 for each other service.
    raw = _scaled(_app_mesh(raw_config("dev")), "sizing", 250)
    assert parse(with_value(raw, "quotas", {"cloudMapInstancesPerNamespace": 2500})).quotas


def test_services_that_would_register_more_tasks_than_the_cloud_map_namespace_holds_are_refused():
    # user-service's two versions at 200 and three services at 200, twice over: 800 + 3 x 400 = 2,000 exactly.
    raw = _scaled(_app_mesh(raw_config("dev")), "sizing", 200)
    assert len(parse(raw).services) == 4
    raw = _scaled(_app_mesh(raw_config("dev")), "sizing", 201)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (
        "Pulumi.dev.yaml: services: 4 services at their maxCapacity, twice over while they deploy, register up to "
        "2,010 tasks in the Cloud Map namespace, more than quotas.cloudMapInstancesPerNamespace (2,000): registering "
        "the tasks past it fails, stalling scale-outs and deployments")
    raised = with_value(raw, "quotas", {"cloudMapInstancesPerNamespace": 2010})
    assert parse(raised).quotas.cloud_map_instances_per_namespace == 2010


def test_on_service_connect_every_task_registers_in_the_service_s_cloud_map_service():
    """Service Connect registers each task as an instance of the Cloud Map service it creates for the service (its
    canary is a deployment of the one ECS service), so Cloud Map's limits hold as on App Mesh."""
    assert parse(_scaled(raw_config("dev"), "services[3].sizing", 500)).services[3].sizing
    assert config_error(_scaled(raw_config("dev"), "services[3].sizing", 501)) == (
        "Pulumi.dev.yaml: services[3].sizing.autoscaling.maxCapacity: 501 lets payment-service register up to 1,002 "
        "tasks in its Cloud Map service (its tasks at maxCapacity, twice over while deploying), more than the 1,000 "
        "Cloud Map holds (AWS does not raise it)")
    # Four services at 250, twice over: 2,000 exactly (the public ones' ALB targets raised out of the way).
    raised = {"albTargets": 10000}
    assert parse(with_value(_scaled(raw_config("dev"), "sizing", 250), "quotas", raised)).quotas
    assert config_error(with_value(_scaled(raw_config("dev"), "sizing", 251), "quotas", raised)) == (
        "Pulumi.dev.yaml: services: 4 services at their maxCapacity, twice over while they deploy, register up to "
        "2,008 tasks in the Cloud Map namespace, more than quotas.cloudMapInstancesPerNamespace (2,000): registering "
        "the tasks past it fails, stalling scale-outs and deployments")


def test_alb_targets_past_the_quota_name_the_max_capacity_that_drives_them():
    """The busiest public service's maxCapacity key: its own where it sets one, else the stack's."""
    assert config_error(_scaled(raw_config("dev"), "services[1].sizing", 500)) == (
        "Pulumi.dev.yaml: services[1].sizing.autoscaling.maxCapacity: 3 public services at their maxCapacity, twice "
        "over while they deploy, are up to 1,012 targets of the ingress ALB, more than quotas.albTargets (1,000): "
        "registering the tasks past it fails, stalling scale-outs and deployments")
    with pytest.raises(ConfigError) as caught:
        parse(_scaled(raw_config("dev"), "sizing", 1000))
    assert str(caught.value).startswith("Pulumi.dev.yaml: sizing.autoscaling.maxCapacity: 3 public services at")
    # A service's own autoscaling that leaves maxCapacity out keeps the stack's, and its key.
    own_target = with_value(raw_config("dev"), "services[0].sizing", {"autoscaling": {"cpuTargetPercent": 50}})
    with pytest.raises(ConfigError) as caught:
        parse(_scaled(own_target, "sizing", 1000))
    assert str(caught.value).startswith("Pulumi.dev.yaml: sizing.autoscaling.maxCapacity: 3 public services at")


def test_a_service_connect_stack_past_the_account_s_iam_roles_is_refused():
    """Two roles a service and the Service Connect TLS role: 500 services make 1,001 (the ALB's 100 target groups
    and the Cloud Map namespace's tasks kept out of the way)."""
    def grown(n: int, quotas: dict) -> dict:
        raw = _generated(n)
        for service in raw["services"][50:]:
            service.pop("publicPath", None)
        return with_value(raw, "quotas", {"cloudMapInstancesPerNamespace": 10000, **quotas})

    assert len(parse(grown(499, {})).services) == 499
    with pytest.raises(ConfigError) as caught:
        parse(grown(500, {}))
    assert str(caught.value) == (
        "Pulumi.dev.yaml: services: 500 services' task and execution roles + the Service Connect TLS role are 1,001 "
        "IAM roles, more than quotas.iamRoles (1,000): IAM refuses the roles past it and the `up` stops part-way")
    assert parse(grown(500, {"iamRoles": 1001})).quotas.iam_roles == 1001
    # The account's quota, which a stack may take a share of: dev's four services make 9 such roles.
    assert parse(with_value(raw_config("dev"), "quotas", {"iamRoles": 9})).quotas.iam_roles == 9
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: services: 4 services' task and execution roles \+ the "
                                          r"Service Connect TLS role are 9 IAM roles, more than quotas.iamRoles \(8\)"):
        parse(with_value(raw_config("dev"), "quotas", {"iamRoles": 8}))
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: quotas.iamRoles: .*5000"):
        parse(with_value(raw_config("dev"), "quotas", {"iamRoles": 5001}))


def test_nat_gateways_past_the_stack_s_share_of_elastic_ips_are_refused():
    """One Elastic IP a NAT gateway, within the share of the region's the stack declares (AWS's default 5)."""
    prod = raw_config("prod")
    assert parse(prod, "prod").quotas.elastic_ips == 3
    assert parse(with_value(prod, "quotas", {}), "prod").quotas.elastic_ips == 5
    with pytest.raises(ConfigError) as caught:
        parse(with_value(prod, "quotas", {"elasticIps": 2}), "prod")
    assert str(caught.value) == (
        "Pulumi.prod.yaml: network.create.natGateways: 3 NAT gateways take 3 Elastic IP addresses, more than "
        "quotas.elasticIps (2): EC2 refuses the addresses past it (AddressLimitExceeded) and the `up` stops part-way")
    with pytest.raises(ConfigError, match=r"^Pulumi.prod.yaml: quotas.elasticIps: 0 is less than 1"):
        parse(with_value(prod, "quotas", {"elasticIps": 0}), "prod")
    # A brought VPC's NAT gateways are its owner's: no share is asked of the stack.
    brought = with_value(with_value(prod, "quotas", {"elasticIps": 1}), "network", {
        "endpoints": False, "firewall": False, "existing": {
            "vpcId": "vpc-0a1b2c3d4e5f60718", "vpcCidr": "10.30.0.0/16",
            "privateSubnetIds": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
            "publicSubnetIds": ["subnet-0a1b2c3d4e5f60713", "subnet-0a1b2c3d4e5f60714"]}})
    assert parse(brought, "prod").network.create is None


def test_a_raised_role_trust_policy_quota_is_bounded_and_is_the_api_checks():
    """IAM's role trust policy length: AWS's default 2,048 characters, which Service Quotas raises to at most 4,096
    (IAM's quotas page). Config bounds the stack's `quotas.roleTrustPolicyChars`, and the preview's API check reads the
    same key from the stack's config (apicheck.declared_quotas) and holds every role's trust policy to it."""
    assert parse(raw_config("dev")).quotas.role_trust_policy_chars == apicheck.ROLE_TRUST_POLICY_CHARS == 2048
    for chars in (2048, 3000, 4096):
        quotas = {"elasticIps": 1, "roleTrustPolicyChars": chars}
        assert parse(with_value(raw_config("dev"), "quotas", quotas)).quotas.role_trust_policy_chars == chars
        assert apicheck.declared_quotas({"service-mesh-platform:quotas": json.dumps(quotas)},
                                        "service-mesh-platform").role_trust_policy_chars == chars
    for chars in (2047, 4097):
        with pytest.raises(ConfigError) as caught:
            parse(with_value(raw_config("dev"), "quotas", {"elasticIps": 1, "roleTrustPolicyChars": chars}))
        assert str(caught.value) == (
            f"Pulumi.dev.yaml: quotas.roleTrustPolicyChars: {chars} is not between 2,048 (AWS's default) and 4,096 "
            f"(the most Service Quotas raises it to)")
    assert apicheck.ROLE_TRUST_POLICY_MAX_CHARS == 4096


def test_a_raised_quota_lets_the_stack_through():
    raw = with_value(_generated(61, "hub"), "quotas", {"securityGroupRules": 61})
    assert parse(raw).quotas.security_group_rules == 61


# The largest variable user-service takes on each plane in dev: its task definition is then 65,536 bytes, as config
# counts the whole request with the plane's containers (App Mesh's Envoy, cert-init, X-Ray and CloudWatch agent
# sidecars and its proxy configuration; Service Connect's volume-init and X-Ray daemon), the family, roles, volumes
# and tags.
_LARGEST_VARIABLE = {"serviceconnect": 62291, "appmesh": 56920}


def _big_variable(plane: str, size: int) -> list[str]:
    return [f"mesh.dataPlane={plane}", f"services[0].environment.BIG={'x' * size}"]


@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_a_task_definition_past_ecs_s_size_is_refused_by_config_with_its_plane_s_containers(plane):
    """ECS takes a task definition of at most 65,536 bytes, the plane's containers with the app's. Config counted
    the app's variables, secrets and health check alone: a 64,500-character variable passed it, and the preview's
    API check then found 66,957 bytes of containers (exit 1). Then it counted the containers alone, not the rest of
    the request (family, role ARNs, volumes, proxy, tags: about 800 bytes on Service Connect, 1,400 on App Mesh),
    which ECS counts too. Just under passes config and the API check; one byte more is config's one line."""
    largest = _LARGEST_VARIABLE[plane]
    raw = with_value(with_value(raw_config("dev"), "mesh.dataPlane", plane), "services[0].environment",
                     {"BIG": "x" * largest})
    assert parse(raw).services[0].environment["BIG"]
    result = shared_preview("dev", ROOT, ROOT / "policies", ROOT / "policies" / "config" / "dev.json",
                            config_overrides=_big_variable(plane, largest))
    assert (result.error, result.api_errors) == (None, [])
    over = _big_variable(plane, largest + 1)
    result = shared_preview("dev", ROOT, ROOT / "policies", ROOT / "policies" / "config" / "dev.json",
                            config_overrides=over)
    assert (result.exit_code, result.error) == (2, (
        "Pulumi.dev.yaml with --config services[0].environment.BIG: services[0].environment: 65,537 bytes in "
        "user-service's task definition with these variables, secrets and health check, more than the 65,536 ECS "
        f"takes for a whole task definition (the {plane} plane's containers, its roles, volumes and tags included)"))
    assert apicheck.TASK_DEFINITION_BYTES == TASK_DEFINITION_BYTES  # the limit apicheck holds the whole one to
    # The one that makes up most of it is named: secrets past it beside a small environment (one JSON secret's keys,
    # which its execution role names once).
    many_secrets = with_value(with_value(raw, "services[0].environment", {"A": "1"}), "services[0].secrets", {
        f"S{i}": f"arn:aws:secretsmanager:us-east-1:111122223333:secret:{'s' * 60}-AbCdEf:K{i}::" for i in range(700)})
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: services\[0\].secrets: [\d,]+ bytes in user-"):
        parse(many_secrets)


@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_config_counts_each_task_definition_whole_as_the_api_check_measures_it(plane):
    """Config counts every task definition's RegisterTaskDefinition request from config alone, as the API check
    measures the program's (apicheck.task_definition_request, the one measure on each side of the program/tools line):
    Service Connect's exactly (its roles' ARNs as long as the mocks'), App Mesh's at least as large (its node's and
    certificate's ARNs, and the certificate's version, which only `up` knows, at their longest)."""
    stack = preview("dev", config_overrides=[f"mesh.dataPlane={plane}"])
    config = parse(with_value(raw_config("dev"), "mesh.dataPlane", plane))
    counted = {s.name: sorted(json_bytes(r) for r in service_task_definitions(config, s)) for s in config.services}
    written: dict[str, list[int]] = {}
    for resource in stack.resources:
        service = next((s.name for s in config.services if s.name in resource.name), None)
        if resource.type == "aws:ecs/taskDefinition:TaskDefinition" and service:  # not App Mesh's gateway
            request = apicheck.task_definition_request(resource.inputs)
            assert set(request) >= {"family", "taskRoleArn", "executionRoleArn", "volumes", "tags"}
            written.setdefault(service, []).append(apicheck.json_bytes(request))
    written = {name: sorted(sizes) for name, sizes in written.items()}
    assert written.keys() == counted.keys() and all(len(written[s]) == len(counted[s]) for s in counted)
    if plane == "serviceconnect":
        assert counted == written
    else:
        # The stand-ins' slack, and no more: the certificate's version id three times, the node's ARN once.
        assert all(0 < c - w < 300 for s in counted for c, w in zip(counted[s], written[s])), (counted, written)
    assert json_bytes({"é": ["x", 1]}) == apicheck.json_bytes({"é": ["x", 1]}) == 14


@pytest.mark.parametrize("own", [True, False], ids=["the-services-own", "stack-wide"])
def test_a_health_check_command_past_ecs_s_task_definition_size_is_refused_by_its_key(own):
    # A 70 KB command passed config, and only the preview's API check (exit 1) or ECS refused it.
    command = f"curl -fsS http://localhost:{{port}}{{path}} -H 'x: {'x' * 70000}' || exit 1"
    raw = (with_value(raw_config("dev"), "services[3].containerHealthCheck", {"command": command}) if own
           else with_value(raw_config("dev"), "containerHealthCheck.command", command))
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    key = "services[3].containerHealthCheck.command" if own else "containerHealthCheck.command"
    service = "payment-service" if own else "user-service"  # the stack's check: the first service's is refused
    assert re.fullmatch(rf"Pulumi\.dev\.yaml: {re.escape(key)}: 7\d,\d{{3}} bytes in {service}'s task definition "
                        rf"with these variables, secrets and health check, more than the 65,536 ECS takes for a "
                        rf"whole task definition \(the serviceconnect plane's containers, its roles, volumes and "
                        rf"tags included\)", str(caught.value)), str(caught.value)


def test_secrets_past_iam_s_inline_policy_quota_are_refused_by_config():
    """The execution role's inline policy names each secret's ARN beside its log streams and ECR repositories: IAM
    refuses a role's inline policies above 10,240 characters (white space not counted). 120 secrets of long names
    passed config to fail PutRolePolicy, and so did 72, whose statements alone fit (10,217 at 80) but not the rest
    of the policy with them (the preview's API check and IAM: 10,284)."""
    def secrets(count: int, length: int = 60) -> dict:
        return with_value(raw_config("dev"), "services[3].secrets", {
            f"S{i}": f"arn:aws:secretsmanager:us-east-1:111122223333:secret:{'s' * length}{i:03}-AbCdEf"
            for i in range(count)})

    assert len(parse(secrets(71)).services[3].secrets) == 71
    for count, size in ((72, "10,284"), (120, "16,332")):
        message = config_error(secrets(count))
        assert re.fullmatch(rf"Pulumi\.dev\.yaml: services\[3\]\.secrets: {size} characters in the execution role's "
                            r"inline policy with these secrets and keys, more than the 10,240 IAM allows a role's "
                            r"inline policies together: split the service's secrets into fewer, larger secrets \(a "
                            r"JSON secret's keys each become a variable with :json-key:\)", message), message
    # A JSON secret's keys are one ARN in the policy, however many variables read them.
    one_secret = with_value(raw_config("dev"), "services[3].secrets", {
        f"S{i}": f"arn:aws:secretsmanager:us-east-1:111122223333:secret:{'s' * 60}-AbCdEf:K{i}::" for i in range(200)})
    assert len(parse(one_secret).services[3].secrets) == 200
    assert apicheck.ROLE_INLINE_POLICY_CHARS == ROLE_INLINE_POLICY_CHARS  # the limit apicheck holds a whole one to


@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_config_sizes_each_execution_role_policy_as_the_program_writes_it(plane):
    """Config counts the execution role's whole inline policy from names alone: on either plane, each service's
    is the size of the one its workloads' roles get (a version's, on App Mesh), mock account ids being 12 digits."""
    stack = preview("dev", config_overrides=[f"mesh.dataPlane={plane}"])
    config = parse(with_value(raw_config("dev"), "mesh.dataPlane", plane))
    written: dict[str, set[int]] = {}
    for resource in stack.resources:
        # Not App Mesh's ingress gateway's: it runs Envoy alone, and no setting adds to its role.
        service = next((s.name for s in config.services if s.name in resource.name), None)
        if resource.type == "aws:iam/rolePolicy:RolePolicy" and resource.name.endswith("-execution") and service:
            written.setdefault(service, set()).add(len(re.sub(r"\s", "", resource.inputs["policy"])))
    assert {s.name: {execution_policy_chars(s, config.environment, config.region, PLANES[plane])}
            for s in config.services} == written


def test_the_bench_s_generated_stacks_fit_aws_s_default_quotas():
    assert len(parse(_generated(200)).services) == 200


@pytest.mark.parametrize("region", ["US-EAST-1", "5", "us east 1", "us-east-1\n"])
def test_the_region_is_a_region_name(region):
    from components.config import parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config(raw_config("dev"), "Pulumi.dev.yaml", region)
    assert str(caught.value) == f"Pulumi.dev.yaml: aws:region: {region!r} is not an AWS region name (like us-east-1)"
    # dev's one secret is in us-east-1, out of another region's endpoints' reach, and its images in us-east-1's ECR,
    # which no other region's DNS Firewall answers.
    # (Regions with API Gateway VPC links V2, which dev's ingress needs: test_ingress.py.)
    for name in ("eu-south-2", "me-south-1", "sa-east-1", "us-east-2"):
        anywhere = with_value(raw_config("dev"), "services[3].secrets", DELETE)
        for service in anywhere["services"]:
            for holder in (service, *service.get("versions", ())):
                if "image" in holder:
                    holder["image"] = holder["image"].replace(".us-east-1.", f".{name}.")
        assert parse_config(anywhere, "Pulumi.dev.yaml", name).region == name


@pytest.mark.parametrize("region", ["mars-north-1", "us-east-9", "eu-west-0"])
def test_a_region_aws_does_not_list_is_refused_by_its_key(region):
    # mars-north-1 passed, and us-east-9 was refused only through the secret's region, as though the secret were wrong.
    from components.config import parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config(raw_config("dev"), "Pulumi.dev.yaml", region)
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: aws:region: {region} is not a region in AWS's partition data (botocore's, as "
        f"requirements.txt pins it): misspelt, or newer than that botocore, which a newer pin would list")


@pytest.mark.parametrize("region,partition", [("us-gov-west-1", "aws-us-gov"), ("cn-northwest-1", "aws-cn"),
                                              ("us-isob-east-1", "aws-iso-b"), ("eusc-de-east-1", "aws-eusc"),
                                              ("eu-isoe-west-1", "aws-iso-e")])
def test_a_region_outside_the_aws_partition_is_refused(region, partition):
    """The program writes `arn:aws:` ARNs (key policies' account root, log groups' ARNs in the log key's
    condition, trust policies' source ARNs) and `amazonaws.com` endpoints: in GovCloud or China the first `up`
    fails on them. botocore's partition data says which partition a region is in."""
    from components.config import parse_config

    anywhere = with_value(raw_config("dev"), "services[3].secrets", DELETE)
    with pytest.raises(ConfigError) as caught:
        parse_config(anywhere, "Pulumi.dev.yaml", region)
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: aws:region: {region} is in AWS's {partition} partition; the program writes the aws "
        f"partition's ARNs, service principals and endpoint names (its commercial regions, like us-east-1), which "
        f"{partition}'s APIs refuse")


@pytest.mark.parametrize("key,twice", [(key, "subnet-0ccc3333") for key in (
    "privateSubnetIds", "publicSubnetIds", "firewallSubnetIds")] + [("privateRouteTableIds", "rtb-0aaa1111")])
def test_a_brought_vpcs_subnets_and_route_tables_are_distinct(key, twice):
    """The same subnet twice passed the two-AZ check, and the ingress ALB, which needs two zones, got one; a
    firewall subnet twice would put two zones' endpoints in one; a route table twice, two endpoint associations."""
    existing = {"vpcId": "vpc-0abc1234", "vpcCidr": "10.50.0.0/16", "privateRouteTableIds": ["rtb-0aaa1111"],
                "privateSubnetIds": ["subnet-0aaa1111", "subnet-0bbb2222"]}
    existing[key] = [twice, twice]
    raw = with_value(raw_config("dev"), "network", {"existing": existing})
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == f"Pulumi.dev.yaml: network.existing.{key}[1]: {twice!r} is listed twice"


@pytest.mark.parametrize("cidr", ["0.0.0.0/0", "10.0.0.0/8", "10.50.0.0/29"])
def test_a_brought_vpcs_block_is_a_vpc_block_size(cidr):
    """Security groups admit the VPC's block: an internet-wide one opened the App Mesh gateway to the world."""
    existing = {"vpcId": "vpc-0abc1234", "vpcCidr": cidr, "privateRouteTableIds": ["rtb-0aaa1111"],
                "privateSubnetIds": ["subnet-0aaa1111", "subnet-0bbb2222"]}
    raw = with_value(raw_config("dev"), "network", {"existing": existing})
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (f"Pulumi.dev.yaml: network.existing.vpcCidr: {cidr} is not a VPC block size (AWS "
                                 "allows /16 to /28)")
    existing["vpcCidr"] = "10.50.0.0/16"
    assert parse(raw).network.existing.vpc_cidr == "10.50.0.0/16"


@pytest.mark.parametrize("environment, why", [
    ("aws", "KMS refuses aliases beginning alias/aws/ (the stack's are alias/<environment>/...)"),
    ("sthree", "S3 refuses bucket names beginning sthree- (the stack's buckets are named <environment>-...)"),
    # pulumi-aws names each security group <resource name>-<7 random characters>, and every resource name starts
    # <environment>-: the provider refuses a name beginning sg- (vpc_security_group.go, "cannot begin with sg-").
    ("sg", "EC2 refuses security group names beginning sg- (the stack's groups are named <environment>-...)"),
    # The ingress load balancer is <environment>-ingress: ELB answered `internal-ingress` with a ValidationError.
    ("internal", "ELB refuses load balancer names beginning internal- (the stack's are named <environment>-...)"),
])
def test_an_environment_name_aws_reserves_is_refused(environment, why):
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("dev"), "environment", environment))
    assert str(caught.value) == f"Pulumi.dev.yaml: environment: {environment} is reserved: {why}"
    assert parse(with_value(raw_config("dev"), "environment", "awsdev")).environment == "awsdev"


@pytest.mark.parametrize("protocol", ["http2", "grpc"])
def test_app_mesh_refuses_the_protocols_it_would_not_build(protocol):
    """The App Mesh plane builds HTTP listeners and routes only: grpc was accepted and silently served as http."""
    raw = with_value(_app_mesh_dev(), "services[1].protocol", protocol)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == (f"Pulumi.dev.yaml: services[1].protocol: {protocol}: the App Mesh plane builds "
                                 "HTTP listeners and routes only; http2 and grpc need mesh.dataPlane: serviceconnect")
    assert parse(with_value(_app_mesh_dev(), "services[1].protocol", "http")).services[1].protocol == "http"
    # payment-service (services[3]) is not public: Service Connect speaks either to it.
    assert parse(with_value(raw_config("dev"), "services[3].protocol", protocol)).services[3].protocol == protocol


def test_a_public_service_cannot_speak_grpc_on_either_plane():
    """API Gateway has no gRPC: its REST API sends the ingress HTTP/1.1 requests (http2 is left to the ALB)."""
    for raw in (raw_config("dev"), _app_mesh_dev()):
        with pytest.raises(ConfigError) as caught:
            parse(with_value(raw, "services[1].protocol", "grpc"))
        plane_says = ("grpc: the App Mesh plane builds HTTP listeners and routes only; http2 and grpc need "
                      "mesh.dataPlane: serviceconnect") if raw["mesh"].get("dataPlane") == "appmesh" else (
            "grpc needs HTTP/2 end to end, and API Gateway sends a public service HTTP/1.1 requests: a service "
            "with a publicPath speaks http or http2")
        assert str(caught.value) == f"Pulumi.dev.yaml: services[1].protocol: {plane_says}"
    assert parse(with_value(raw_config("dev"), "services[1].protocol", "http2")).services[1].protocol == "http2"


def test_without_a_public_service_there_is_no_rest_api_for_its_consumers():
    raw = raw_config("dev")
    for service in raw["services"]:
        service.pop("publicPath", None)
        service.pop("queryParameters", None)
    raw["api"]["usagePlans"][2].pop("methodThrottles", None)
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == ("Pulumi.dev.yaml: services: none has a publicPath, so there is no REST API for the "
                                 "api.consumers in the stack file: make a service public, or remove them")
    raw["api"].pop("consumers")
    assert parse(raw).public_services == ()  # nor its plans, so the public clients' need no quota
    # Nor is there an ingress ALB, whose certificate a long host name would not fit.
    long_host = "the-internal-ingress-load-balancer-for-the-store.dev.shop.example.com"
    assert parse(with_value(raw, "ingress.hostName", long_host)).ingress.host_name == long_host
    # Nor a web ACL for addresses to block (an incident's edit that would do nothing).
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw, "api.waf", {"enabled": True, "blockedAddresses": ["192.0.2.0/24"]}))
    assert str(caught.value) == ("Pulumi.dev.yaml: services: none has a publicPath, so there is no REST API for the "
                                 "api.waf.blockedAddresses in the stack file: make a service public, or remove them")


def _internal_only() -> dict:
    """dev with no public service and no `api` block."""
    raw = raw_config("dev")
    for service in raw["services"]:
        service.pop("publicPath", None)
        service.pop("queryParameters", None)
    del raw["api"]
    return raw


def test_a_stack_without_public_services_needs_no_api_block():
    config = parse(_internal_only())
    assert config.public_services == ()
    assert (config.api.built, parse(raw_config("dev")).api.built) == (False, True)
    assert (config.api.auth, config.api.throttle, config.api.usage_plans) == (None, None, ())
    # The settings that have defaults keep them (the HTTP and WebSocket APIs' names do not depend on it).
    assert (config.api.name, config.api.stage_name, config.api.cloudwatch_role) == ("dev-ecommerce-api", "dev", True)


def test_an_api_block_is_required_once_a_service_is_public():
    raw = with_value(_internal_only(), "services[1].publicPath", "/products")
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == ("Pulumi.dev.yaml: api: is required: product-service has a publicPath, and the REST "
                                 "API in front of them needs its usage plans")
    raw["api"] = {"usagePlans": [{"name": "basic", "throttle": {"rateLimit": 5, "burstLimit": 10},
                                  "quota": {"limit": 1000, "period": "DAY"}}], "throttle": {"rateLimit": 5,
                                                                                           "burstLimit": 10}}
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == "Pulumi.dev.yaml: api.auth: is required"
    del raw["api"]["throttle"]
    raw["api"]["auth"] = {"type": "iam"}
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    assert str(caught.value) == "Pulumi.dev.yaml: api.throttle: is required"


def test_an_internal_stack_previews_without_a_rest_api(tmp_path):
    def internal(text: str) -> str:
        text = re.sub(r"\n      (publicPath|queryParameters): [^\n]*", "", text)
        start = text.index("  service-mesh-platform:api:\n")
        end = text.index("\n  service-mesh-platform:", start + 1)
        return text[:start] + text[end + 1:]

    program = program_with_stack(tmp_path, "dev", internal)
    result = run_preview("dev", program, ROOT / "policies", ROOT / "policies" / "config" / "dev.json")
    assert result.error is None, result.error
    types = {r.type for r in result.resources}
    assert not {t for t in types if t.startswith("aws:apigateway/")}, "no REST API, plans or keys"
    assert "aws:ecs/service:Service" in types
    assert result.mandatory == []


def test_app_mesh_has_no_ingress_alb_whose_name_or_certificate_could_clash():
    """`ingress` is the Service Connect plane's ALB; App Mesh's stack file may keep it, unused, whatever it says."""
    raw = with_value(raw_config("dev"), "mesh.dataPlane", "appmesh")
    long_host = "the-internal-ingress-load-balancer-for-the-store.dev.shop.example.com"
    assert parse(with_value(raw, "ingress.hostName", long_host)).ingress.host_name == long_host
    shared = with_value(raw, "api.domain", {"name": "ingress.dev.shop.example.com"})
    assert parse(shared).api.domain.name == "ingress.dev.shop.example.com"


@pytest.mark.parametrize("arn", [
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payment-provider-key-AbCdEf",
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payment-provider-key",  # partial: IAM gets -??????
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payment-AbCdEf:api_key::",  # ECS's json-key form
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payment-AbCdEf:api_key:AWSPREVIOUS:",
    "arn:aws:secretsmanager:us-west-2:111122223333:secret:a+b=c.d@e_f-AbCdEf",
    "arn:aws:ssm:us-east-1:111122223333:parameter/dev/payments/api-key",
    f"arn:aws:secretsmanager:us-east-1:111122223333:secret:{'n' * 512}-AbCdEf",  # the longest name, and its suffix
])
def test_every_secret_arn_ecs_takes_is_accepted(arn):
    raw = with_value(raw_config("dev"), "services[3].secrets.PAYMENT_PROVIDER_API_KEY", arn)
    if ":us-east-1:" not in arn:  # another region's secret is out of the endpoints' reach (BAD_INPUTS)
        with_value(raw, "network.endpoints", False)
    config = parse(raw)
    assert config.service("payment-service").secrets["PAYMENT_PROVIDER_API_KEY"] == arn


def _app_mesh_dev() -> dict:
    return with_value(raw_config("dev"), "mesh.dataPlane", "appmesh")


def test_app_mesh_takes_at_most_ten_versions_of_a_service():
    versions = [{"name": f"v{i}", "weight": 10, "image": f"111122223333.dkr.ecr.us-east-1.amazonaws.com/users:{i}.0"}
                for i in range(1, 11)]
    del versions[0]["image"]  # the primary version runs the service's own
    assert len(parse(with_value(_app_mesh_dev(), "services[0].versions", versions)).services[0].versions) == 10
    eleven = [*versions[:9], *({**versions[9], "name": name, "weight": 5} for name in ("v10", "v11"))]
    with pytest.raises(ConfigError) as caught:
        parse(with_value(_app_mesh_dev(), "services[0].versions", eleven))
    assert str(caught.value) == ("Pulumi.dev.yaml: services[0].versions[10]: an App Mesh route splits traffic among at "
                                 "most 10 weighted targets")


def test_a_header_value_takes_at_most_255_characters():
    assert parse(with_value(raw_config("dev"), "services[0].versions[1].headerMatch.exact", "t" * 255))
    with pytest.raises(ConfigError, match=r"headerMatch.exact: 'tttt.*' is not a header value \(one line, 1-255 characters\)$"):
        parse(with_value(_app_mesh_dev(), "services[0].versions[1].headerMatch.exact", "t" * 256))


def test_an_app_mesh_service_takes_at_most_fifty_backends():
    """Each service it calls and each external is a backend of its virtual node (user-service calls two)."""
    def calling(count: int) -> dict:
        externals = [{"name": f"partner-{i}", "host": f"api{i}.partner.example.com", "port": 443}
                     for i in range(count)]
        raw = _app_mesh_dev()
        raw = with_value(raw, "externals", [*raw["externals"], *externals])
        return with_value(raw, "services[0].externals", [e["name"] for e in externals])

    assert len(parse(calling(48)).services[0].externals) == 48
    with pytest.raises(ConfigError) as caught:
        parse(calling(49))
    assert str(caught.value) == ("Pulumi.dev.yaml: services[0].calls: user-service calls 2 services and 49 externals; "
                                 "an App Mesh virtual node takes at most 50 backends")
    assert parse(with_value(calling(49), "mesh.dataPlane", "serviceconnect")).services[0].externals


@pytest.mark.parametrize("path, value, message", [
    # Full-width and Arabic-Indic digits: Python's \d takes them, AWS does not.
    ("network.endpointAccounts", ["１１１１２２２２３３３３"],
     "network.endpointAccounts[0]: '１１１１２２２２３３３３' is not a 12-digit account id"),
    ("services[3].secretsKmsKeys", ["arn:aws:kms:us-east-1:١١١١٢٢٢٢٣٣٣٣:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
     "services[3].secretsKmsKeys[0]: 'arn:aws:kms:us-east-1:١١١١٢٢٢٢٣٣٣٣:key/1234abcd-12ab-34cd-56ef-1234567890ab' is "
     "not a KMS key ARN"),
])
def test_digits_are_ascii_digits(path, value, message):
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("dev"), path, value))
    assert str(caught.value).startswith(f"Pulumi.dev.yaml: {message}")


def test_a_canary_with_no_traffic_to_judge_it_is_refused_on_service_connect_only():
    """ECS rolls a canary back only on its traffic alarms (no circuit breaker for the strategy): payment-service,
    once order-service stops calling it, has neither callers nor a publicPath. App Mesh splits by weight alone."""
    versions = [{"name": "v1", "weight": 90},
                {"name": "v2", "weight": 10, "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/payment:2.0.0"}]
    called = with_value(raw_config("dev"), "services[3].versions", versions)
    assert parse(called).services[3].canary_version.name == "v2"  # order-service still calls it
    uncalled = with_value(called, "services[2].calls", ["user-service"])  # order-service, its only caller
    with pytest.raises(ConfigError) as caught:
        parse(uncalled)
    assert str(caught.value) == (
        "Pulumi.dev.yaml: services[3].versions: a second version is an ECS canary deployment, rolled back only by the "
        "alarms on its callers' and its load balancer's traffic (the circuit breaker is for rolling updates); "
        "payment-service has no caller and no publicPath, so nothing would roll a bad version back: give it one "
        "version")
    assert parse(with_value(uncalled, "mesh.dataPlane", "appmesh")).services[3].canary_version.name == "v2"
    # A public service nobody calls is judged by its load balancer's alarms.
    public = with_value(uncalled, "services[3].publicPath", "/payments")
    assert parse(public).services[3].canary_version.name == "v2"


# An ECR Public image is pulled as <12-digit account>.dkr.ecr.us-east-1.amazonaws.com/dev-ecr-public/<rest>: 45
# characters more than written, in dev.
PULLED_GROWTH = len("000000000000.dkr.ecr.us-east-1.amazonaws.com/dev-ecr-public") - len("public.ecr.aws")


@pytest.mark.parametrize("path", ["services[0].image", "services[0].versions[1].image", "mesh.envoyImage"])
def test_an_ecr_public_image_must_fit_ecs_as_the_cache_rule_pulls_it(path):
    def image(pulled_length):
        return "public.ecr.aws/" + "x" * (pulled_length - PULLED_GROWTH - len("public.ecr.aws/:1")) + ":1"

    raw = with_value(raw_config("dev"), path, image(255))
    parse(raw)  # 255 characters as pulled: ECS takes it
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw, path, image(256)))
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: {path}: is pulled as 256 characters through the dev-ecr-public cache rule (public.ecr.aws "
        f"becomes <account>.dkr.ecr.us-east-1.amazonaws.com/dev-ecr-public); ECS takes image references of at most "
        f"255")
    # Any other registry's reference is pulled as written, up to the same 255.
    other = "111122223333.dkr.ecr.us-east-1.amazonaws.com/" + "x" * 208 + ":1"
    assert len(other) == 255 and parse(with_value(raw_config("dev"), path, other))


def test_the_statsd_port_is_kept_only_where_the_cloudwatch_agent_runs():
    """App Mesh tasks run the CloudWatch agent's StatsD on 8125; Service Connect tasks have no agent."""
    assert parse(with_value(raw_config("dev"), "services[0].port", 8125)).services[0].port == 8125
    with pytest.raises(ConfigError) as caught:
        parse(with_value(_app_mesh_dev(), "services[0].port", 8125))
    assert str(caught.value) == ("Pulumi.dev.yaml: services[0].port: 8125 is reserved for the CloudWatch agent's "
                                 "StatsD (a task's containers share its ports)")


_CA = "certificate-authority/0a1b2c3d-1111-2222-3333-444455556666"


@pytest.mark.parametrize("stack, path, value, message", [
    # A config review's fuzzing found each of these passing: another partition's or region's resource, which the
    # stack's region's APIs cannot use.
    ("dev", "mesh.tls.privateCaArn", f"arn:aws:acm-pca:eu-west-1:111122223333:{_CA}",
     "mesh.tls.privateCaArn: is in eu-west-1; the stack's certificates are issued in us-east-1, and AWS Private CA is "
     "regional: use a CA in us-east-1"),
    ("dev", "mesh.tls.privateCaArn", f"arn:aws-cn:acm-pca:us-east-1:111122223333:{_CA}",
     "mesh.tls.privateCaArn: is in the aws-cn partition, and the stack's is aws: AWS Private CA issues no certificate "
     "across partitions; use the aws partition's"),
    ("prod", "ingress.certificateArn",
     "arn:aws-us-gov:acm:us-east-1:111122223333:certificate/3e8b1d4f-6a2c-4d7e-9f1b-5c0a2e4d6f8a",
     "ingress.certificateArn: is in the aws-us-gov partition, and the stack's is aws: the ingress load balancer takes "
     "a certificate from its own partition; use the aws partition's"),
    ("prod", "api.auth.emailSender.identityArn", "arn:aws-cn:ses:us-east-1:111122223333:identity/shop.example.com",
     "api.auth.emailSender.identityArn: is in the aws-cn partition, and the stack's is aws: Cognito sends through SES "
     "in its own partition; use the aws partition's"),
    ("dev", "api.auth.userPoolArn", "arn:aws-cn:cognito-idp:cn-north-1:111122223333:userpool/cn-north-1_AbC123",
     "api.auth.userPoolArn: is in the aws-cn partition, and the stack's is aws: API Gateway's authorizer takes a user "
     "pool of its own partition; use the aws partition's"),
    ("dev", "api.auth.userPoolArn", "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/us-east-1_AbC123",
     "api.auth.userPoolArn: names the pool us-east-1_AbC123 in eu-west-1, but a pool's id begins with its own region "
     "(eu-west-1_...)"),
])
def test_a_resource_of_another_partition_or_region_is_refused_by_its_key(stack, path, value, message):
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config(stack), path, value), stack)
    assert str(caught.value) == f"Pulumi.{stack}.yaml: {message}"


def test_a_private_ca_or_user_pool_of_the_stacks_region_is_taken():
    raw = with_value(raw_config("dev"), "mesh.tls.privateCaArn", f"arn:aws:acm-pca:us-east-1:111122223333:{_CA}")
    pool = "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbC123"
    config = parse(with_value(raw, "api.auth.userPoolArn", pool))
    assert (config.mesh.tls.private_ca_arn, config.api.auth.user_pool_arn) == (
        f"arn:aws:acm-pca:us-east-1:111122223333:{_CA}", pool)


@pytest.mark.parametrize("default_tags, message", [
    # The provider puts them on every taggable resource beside the stack's tags, and AWS refuses these there.
    ('{"tags": {"aws:owner": "x"}}', "aws:defaultTags.tags.aws:owner: AWS reserves the aws: prefix of tag keys and "
                                     "values for its own tags"),
    ('{"tags": {"Owner": "a|b"}}', "aws:defaultTags.tags.Owner: the value 'a|b' has a character AWS does not allow"),
    ('{"tags": {"owner": "x", "Owner": "y"}}', "aws:defaultTags.tags.Owner: differs from owner only in case"),
    ('{"tags": {"Name": "x"}}', "aws:defaultTags.tags.Name: the program puts its own Name tag on some resources"),
    ("notjson", "aws:defaultTags: is not an object ({tags: {<key>: <value>}})"),
    # A misspelt block key left its tags unapplied and unchecked; the provider refuses it.
    ('{"tag": {"aws:owner": "x"}}', "aws:defaultTags.tag: is not a known setting (did you mean tags?)"),
    ('{"tags": []}', "aws:defaultTags.tags: expected a mapping, got a list"),
    # They meet the stack's tags on every resource: counted and compared together.
    ('{"tags": {"owner": "x"}}', "tags.Owner: differs from aws:defaultTags.tags.owner only in case"),
    (json.dumps({"tags": {f"Team{i}": "x" for i in range(46)}}),
     "tags: 4 tags with the provider's 46 default tags and the program's own AlarmKind and Severity (on every "
     "alarm) make 52 on one resource; AWS allows 50"),
])
def test_the_providers_default_tags_are_held_to_the_stacks_tag_rules(default_tags, message):
    from components.config import parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config(raw_config("dev"), "Pulumi.dev.yaml", "us-east-1", default_tags)
    assert str(caught.value).startswith(f"Pulumi.dev.yaml: {message}")
    assert parse_config(raw_config("dev"), "Pulumi.dev.yaml", "us-east-1", '{"tags": {"Team": "x"}}')


@pytest.mark.parametrize("stack", ["dev", "prod", "iot", "dev-appmesh"])
def test_every_tag_key_the_program_sets_itself_is_one_config_keeps_from_the_stacks_tags(stack):
    """What `check_tags` refuses in `tags` is every key the program writes over the stack's on some resources."""
    name, _, plane = stack.partition("-")
    result = preview(name, config_overrides=[f"mesh.dataPlane={plane}"] if plane else [])
    stack_keys = set(raw_config(name).get("tags", {}))
    own = {key for r in result.resources if isinstance(r.inputs.get("tags"), dict)
           for key in r.inputs["tags"] if key not in stack_keys}
    assert own <= set(OWN_TAG_KEYS) and "Name" in own and "AlarmKind" in own
    assert ("AmazonECSManaged" in own) == (plane != "appmesh")


def test_the_global_layer_refuses_only_the_tag_keys_it_sets_itself(capsys):
    """Its health checks' Name and its alarms' kind and severity; a subnet's Tier is the regional program's."""
    result = global_preview()
    stack_keys = set(yaml.safe_load((ROOT / "global" / "Pulumi.prod.yaml").read_text())["config"].get(
        "service-mesh-platform-global:tags", {}))
    own = {key for r in result.resources if isinstance(r.inputs.get("tags"), dict)
           for key in r.inputs["tags"] if key not in stack_keys}
    assert own == set(EDGE_OWN_TAG_KEYS)
    assert global_preview("tags.Tier=edge").error is None
    refused = run_preview("prod", ROOT / "global", config_overrides=["tags.Name=edge"])
    assert refused.error.startswith("global/Pulumi.prod.yaml with --config tags.Name: tags.Name: the program puts its "
                                    "own Name tag on some resources")


def test_an_empty_tag_value_is_refused_only_where_the_stack_makes_a_trail():
    """CloudTrail's TagValue takes at least one character; the other services' tags take an empty one (a
    bad-input review found prod's trail would fail the first `up`)."""
    assert apicheck.service_model("cloudtrail").shape_for("TagValue").metadata.get("min") == 1
    assert config_error(with_value(raw_config("prod"), "tags.CostCenter", ""), "prod") == (
        "Pulumi.prod.yaml: tags.CostCenter: an empty value: CloudTrail refuses one on the trail (audit.trail is on)")
    assert parse(with_value(raw_config("dev"), "tags.CostCenter", ""), "dev").tags["CostCenter"] == ""


@pytest.mark.parametrize("path,value,message", [
    ("tags.CostCenter", 1234, "tags.CostCenter: expected a string, got an integer (quote it in the stack file, or "
                              "set it with pulumi config set --path --type string)"),
    ("network.endpointAccounts", [111122223333], "network.endpointAccounts[0]: expected a string, got an integer "
                                                 "(quote it in the stack file, or set it with pulumi config set "
                                                 "--path --type string)"),
    ("tags.CostCenter", True, "tags.CostCenter: expected a string, got a boolean"),
])
def test_a_number_where_text_is_expected_says_how_to_keep_it_text(path, value, message):
    """YAML and `pulumi config set --path` read 1234 as a number: a cost centre or an account id then needs quoting
    (a bad-input review found the bare "expected a string" left users guessing)."""
    assert config_error(with_value(raw_config("dev"), path, value)) == f"Pulumi.dev.yaml: {message}"


@pytest.mark.parametrize("existing,message", [
    ({"vpcId": "vpc-1"}, "network.existing.vpcId: 'vpc-1' is not a VPC id"),
    ({"privateSubnetIds": ["subnet-0aaa1111", "subnet-1"]},
     "network.existing.privateSubnetIds[1]: 'subnet-1' is not a subnet id"),
    ({"privateRouteTableIds": ["rtb-0aaa11112222333344"]},
     "network.existing.privateRouteTableIds[0]: 'rtb-0aaa11112222333344' is not a route table id"),
    ({"publicSubnetIds": ["subnet-0ccc3333", "subnet-0aaa1111"]},
     "network.existing.publicSubnetIds[1]: 'subnet-0aaa1111' is in privateSubnetIds too: a subnet is public (its "
     "route to the internet gateway) or private (to NAT), not both"),
])
def test_a_brought_vpcs_ids_are_ec2s_and_its_subnets_one_tier_each(existing, message):
    """EC2's ids are the prefix and 8 or 17 hex digits; EC2 refuses others as malformed at the first `up` (a
    bad-input review found `vpc-1` and a subnet in both tiers accepted)."""
    valid = {"vpcId": "vpc-0abc1234def567890", "vpcCidr": "10.50.0.0/16", "privateRouteTableIds": ["rtb-0aaa1111"],
             "privateSubnetIds": ["subnet-0aaa1111", "subnet-0bbb2222"]}
    assert parse(with_value(raw_config("dev"), "network", {"existing": valid}), "dev").network.existing.vpc_id == \
        "vpc-0abc1234def567890"
    refused = config_error(with_value(raw_config("dev"), "network", {"existing": {**valid, **existing}}))
    assert refused.startswith(f"Pulumi.dev.yaml: {message}")


@pytest.mark.parametrize("path,arn,what", [
    ("ingress.certificateArn", "arn:aws:acm:us-east-1:111122223333:certificate/-", "an ACM certificate ARN"),
    ("ingress.certificateArn", "arn:aws:acm:us-east-1:111122223333:certificate/3e8b1d4f", "an ACM certificate ARN"),
    ("mesh.tls.privateCaArn", "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/abc",
     "an ACM Private CA ARN"),
])
def test_a_certificate_or_ca_arn_ends_in_the_uuid_acm_gives_it(path, arn, what):
    """ACM and ACM Private CA name each certificate and CA by a UUID; `certificate/-` passed (a bad-input review)."""
    assert config_error(with_value(raw_config("dev"), path, arn)) == f"Pulumi.dev.yaml: {path}: {arn!r} is not {what}"


def test_an_app_mesh_name_must_fit_a_tls_subject_alternative_name():
    # Each mesh name is a SAN of App Mesh's TLS validation, which takes 254 (botocore SubjectAlternativeName); the
    # check allowed 255, and the preview then found 12 API errors (a bad-input review).
    domain = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 43])
    with pytest.raises(ConfigError) as caught:
        parse(with_value(_app_mesh_dev(), "mesh.domain", domain))
    assert str(caught.value) == (f"Pulumi.dev.yaml: mesh.domain: makes product-service's name product-service.dev."
                                 f"{domain} (255 characters), more than an App Mesh TLS subject alternative name "
                                 f"takes (254)")
    assert parse(with_value(_app_mesh_dev(), "mesh.domain", domain[:-1]))
    # The ingress gateway is named as a service is: with only shorter services, its name is the one that must fit.
    short = with_value(_app_mesh_dev(), "mesh.domain", domain[:-1])
    for service in short["services"]:
        service["name"] = service["name"].replace("-service", "")
    for service in short["services"]:
        service["calls"] = [c.replace("-service", "") for c in service.get("calls", [])]
    with pytest.raises(ConfigError, match=r"makes ingress-gateway.s name ingress-gateway\.dev\..* \(255 char"):
        parse(with_value(short, "mesh.domain", domain))


@pytest.mark.parametrize("command,placeholder,meant", [
    ("curl -fsS http://localhost:{prot}{path} || exit 1", "prot", "port"),
    (["curl", "-fsS", "localhost:{port}{Path}"], "Path", "path"), ("curl localhost:{PORT}/{pth}", "PORT", "port")])
def test_a_misspelt_health_check_placeholder_is_refused(command, placeholder, meant):
    # {prot} reached every container as written: every check failed, and ECS replaced every task without end.
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("dev"), "containerHealthCheck.command", command))
    assert str(caught.value) == (
        f"Pulumi.dev.yaml: containerHealthCheck.command: has {{{placeholder}}}: did you mean {{{meant}}}? The program "
        "replaces {port} and {path} with each service's, and passes any other braces on")
    # A shell's ${NAME}, brace lists and awk's programs stay the command's.
    for fine in ("curl -fsS http://localhost:{port}${HEALTH_PATH} || exit 1", "test -f /tmp/{a,b} && true",
                 "curl -fsS localhost:{port}{path} | awk '{print}' | grep -q ok"):
        check = parse(with_value(raw_config("dev"), "containerHealthCheck.command", fine)).services[0]
        assert check.container_health_check.command[1].startswith(fine.split("{port}")[0])


def test_an_error_rate_alarm_just_under_100_percent_is_taken():
    alarms = parse(with_value(with_value(raw_config("dev"), "alarms.fiveXxRatePercent", 99.9),
                              "alarms.fourXxRatePercent", 0)).alarms
    assert (alarms.five_xx_rate_percent, alarms.four_xx_rate_percent) == (99.9, 0)


def test_a_cache_ttl_of_0_pauses_caching_and_keeps_the_cluster():
    # Taken, not refused: it stops caching at once without deleting and recreating the cluster (minutes), an
    # incident's lever, though the cluster is still billed (a review of the refusal this replaced).
    cache = parse(with_value(raw_config("prod"), "api.cache.ttlSeconds", 0), "prod").api.cache
    assert (cache.enabled, cache.ttl_seconds) == (True, 0)


@pytest.mark.parametrize("key,value,what", [("ttlSeconds", 30, "sets how long GETs stay in"),
                                            ("sizeGb", "6.1", "sizes")])
def test_cache_settings_with_the_cache_off_are_refused(key, value, what):
    # They were taken and did nothing: the stage had cacheClusterEnabled false and no cache settings anywhere.
    with pytest.raises(ConfigError) as caught:
        parse(with_value(raw_config("dev"), f"api.cache.{key}", value))
    assert str(caught.value) == (f"Pulumi.dev.yaml: api.cache.{key}: {what} the stage's cache, and the cache is off "
                                 "in this stack: remove it or set api.cache.enabled: true")
    assert parse(with_value(raw_config("prod"), f"api.cache.{key}", value), "prod").api.cache.enabled
