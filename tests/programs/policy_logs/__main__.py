"""Raw log groups: one unencrypted; one whose key never lets CloudWatch Logs use it; one whose key lets it
without the encryption-context condition; one whose key's condition covers other groups; and a right one; groups
whose keys CloudWatch Logs cannot use whatever their policy (asymmetric, HMAC, disabled), and a right one. Then keys
without a `policy`: one with none at all (the default key policy), one whose aws.kms.KeyPolicy leaves CloudWatch
Logs out, and one whose KeyPolicy grants it; keys whose Deny statements do and do not override their grant; and
groups in another region by their provider, whose keys grant that region's CloudWatch Logs or another's; groups
kept for less than a year, and others kept long enough, kept briefly by their class, or exempted. Last, keys
on their own: one that never rotates, an HMAC key (which cannot), one every AWS account may use, and one open to one
organization only. And SNS topics and SQS queues with and without encryption at rest, and with policies open to
every account or only to named callers."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ACCOUNT = "arn:aws:iam::123456789012:root"
ADMIN = {"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "kms:*",
         "Resource": "*"}


def logs_grant(region="us-east-1", **condition):
    grant = {"Sid": "CloudWatchLogsUse", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
             "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
             "Resource": "*"}
    if condition:
        grant["Condition"] = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": condition["groups"]}}
    return grant


def key(name, *statements, opts=None, **settings):
    settings.setdefault("enable_key_rotation", True)
    return aws.kms.Key(name, tags=TAGS, opts=opts, **settings,
                       policy=json.dumps({"Version": "2012-10-17", "Statement": [ADMIN, *statements]}))


def group(name, log_group_name, kms_key=None, opts=None, retention_in_days=365, **settings):
    return aws.cloudwatch.LogGroup(name, name=log_group_name, retention_in_days=retention_in_days, tags=TAGS,
                                   opts=opts, kms_key_id=kms_key.arn if kms_key is not None else None, **settings)


group("bare-logs", "/app/bare")
group("admin-only-logs", "/app/admin-only", key("admin-only-key"))
group("no-context-logs", "/app/no-context", key("no-context-key", logs_grant()))
group("narrow-logs", "/app/narrow",
      key("narrow-key", logs_grant(groups="arn:aws:logs:us-east-1:123456789012:log-group:/other/*")))
group("good-logs", "/app/good",
      key("good-key", logs_grant(groups=["arn:aws:logs:us-east-1:123456789012:log-group:/app/good",
                                         "arn:aws:logs:us-east-1:123456789012:log-group:/app/good:*"])))

# CloudWatch Logs takes only an enabled symmetric encryption key, whatever its policy allows: an asymmetric key, an
# HMAC key and a disabled key fail the group; a key that names KMS's defaults, and is enabled, does not.
GOOD_GRANT = logs_grant(groups="arn:aws:logs:us-east-1:123456789012:log-group:/app/*")
group("asymmetric-logs", "/app/asymmetric", key("asymmetric-key", GOOD_GRANT, customer_master_key_spec="RSA_2048",
                                                key_usage="ENCRYPT_DECRYPT", enable_key_rotation=False))
group("hmac-logs", "/app/hmac", key("hmac-key", GOOD_GRANT, customer_master_key_spec="HMAC_256",
                                    key_usage="GENERATE_VERIFY_MAC", enable_key_rotation=False))
group("disabled-logs", "/app/disabled", key("disabled-key", GOOD_GRANT, is_enabled=False))
group("symmetric-logs", "/app/symmetric", key("symmetric-key", GOOD_GRANT, customer_master_key_spec="SYMMETRIC_DEFAULT",
                                              key_usage="ENCRYPT_DECRYPT", is_enabled=True))

# Retention (Security Hub CloudWatch.16, a year by default): two weeks is too short, and so is a period known only
# once a topic exists (unknown in a first preview); a year, 0 (never expire) or none at all keep the events long
# enough. A DELIVERY class group keeps them a day or two whatever it says; one in the test's exemptLogGroups may.
RETENTION_KEY = key("retention-key", GOOD_GRANT)
group("short-logs", "/app/short", RETENTION_KEY, retention_in_days=14)
group("later-short-logs", "/app/later-short", RETENTION_KEY,
      retention_in_days=aws.sns.Topic("retention-source", kms_master_key_id="alias/aws/sns", tags=TAGS).arn.apply(
          lambda _: 30))
group("never-expire-logs", "/app/never-expire", RETENTION_KEY, retention_in_days=0)
group("unset-retention-logs", "/app/unset-retention", RETENTION_KEY, retention_in_days=None)
group("delivery-logs", "/app/delivery", RETENTION_KEY, retention_in_days=7, log_group_class="DELIVERY")
group("scratch-logs", "/app/scratch/builds", RETENTION_KEY, retention_in_days=3)


def bare_key(name):
    return aws.kms.Key(name, enable_key_rotation=True, tags=TAGS)


def key_policy(name, kms_key, *statements):
    return aws.kms.KeyPolicy(name, key_id=kms_key.id,
                             policy=json.dumps({"Version": "2012-10-17", "Statement": [ADMIN, *statements]}))


group("default-policy-logs", "/app/default-policy", bare_key("default-policy-key"))
admin_only = bare_key("separate-admin-only-key")
key_policy("separate-admin-only-policy", admin_only)
group("separate-admin-only-logs", "/app/separate-admin-only", admin_only)
separate_good = bare_key("separate-good-key")
key_policy("separate-good-policy", separate_good,
           logs_grant(groups="arn:aws:logs:us-east-1:123456789012:log-group:/app/separate-good*"))
group("separate-good-logs", "/app/separate-good", separate_good)

# An explicit Deny overrides the grant (IAM's evaluation logic): the key is no use to CloudWatch Logs. A Deny of
# actions it does not need leaves the grant whole; one with a Condition holds for some requests only (not judged).
APP_GROUPS = "arn:aws:logs:us-east-1:123456789012:log-group:/app/*"
NO_LOGS = {"Sid": "NoLogs", "Effect": "Deny", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
           "Action": "kms:*", "Resource": "*"}
group("denied-logs", "/app/denied", key("denied-key", logs_grant(groups=APP_GROUPS), NO_LOGS))
group("kept-logs", "/app/kept", key("kept-key", logs_grant(groups=APP_GROUPS), {
    "Sid": "NoDeletion", "Effect": "Deny", "Principal": "*", "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
    "Resource": "*"}))
group("conditional-deny-logs", "/app/conditional-deny", key("conditional-deny-key", logs_grant(groups=APP_GROUPS), {
    **NO_LOGS, "Condition": {"ArnNotLike": {"kms:EncryptionContext:aws:logs:arn": APP_GROUPS}}}))

# In eu-west-1 by their provider: a key granting CloudWatch Logs of us-east-1 is no use to a group there, which a
# first preview (the group's ARN unknown) tells from the provider's region; one granting eu-west-1's is.
IN_IRELAND = pulumi.ResourceOptions(provider=aws.Provider("ireland", region="eu-west-1"))
group("ireland-logs", "/app/ireland", key("ireland-key", logs_grant(groups="arn:aws:logs:*:*:log-group:/app/*"),
                                          opts=IN_IRELAND), opts=IN_IRELAND)
group("ireland-good-logs", "/app/ireland-good", key("ireland-good-key", logs_grant(
    "eu-west-1", groups="arn:aws:logs:eu-west-1:123456789012:log-group:/app/*"), opts=IN_IRELAND), opts=IN_IRELAND)

# KMS keys on their own.
aws.kms.Key("stale-key", enable_key_rotation=False, tags=TAGS)
aws.kms.Key("mac-key", key_usage="GENERATE_VERIFY_MAC", customer_master_key_spec="HMAC_256", tags=TAGS)
EVERYONE = {"Sid": "EveryoneDecrypts", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt",
            "Resource": "*"}
key("public-key", EVERYONE)
key("organization-key", {**EVERYONE, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})

# SNS topics: one unencrypted, one under AWS's key for SNS; the latter pages over HTTPS, and over plain HTTP.
aws.sns.Topic("plain-topic", tags=TAGS)
sealed = aws.sns.Topic("sealed-topic", kms_master_key_id="alias/aws/sns", tags=TAGS)
aws.sns.TopicSubscription("pager-https", topic=sealed.arn, protocol="https",
                          endpoint="https://events.pager.example.com/integration/abc123/enqueue")
aws.sns.TopicSubscription("pager-http", topic=sealed.arn, protocol="http",
                          endpoint="http://events.pager.example.com/integration/abc123/enqueue")

# SQS queues: one with SSE-SQS switched off and no key; one left to SQS's default (SSE-SQS), one under a KMS key.
aws.sqs.Queue("plain-queue", sqs_managed_sse_enabled=False, tags=TAGS)
aws.sqs.Queue("default-queue", tags=TAGS)
aws.sqs.Queue("sealed-queue", kms_master_key_id="alias/aws/sqs", tags=TAGS)


# Topic and queue policies: Principal * is public unless a condition names the callers. A topic whose own policy
# is open to everyone; one whose TopicPolicy is (reported on the topic); one whose open `policy` a TopicPolicy
# shaped like SNS's default (AWS:SourceOwner) replaces. A queue whose QueuePolicy lets everyone send; one that
# only a topic of this account may send to (aws:SourceArn).
def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


ANYONE_PUBLISHES = {"Sid": "AnyonePublishes", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish",
                    "Resource": "*"}
OWNER_ONLY = {**ANYONE_PUBLISHES, "Sid": "AccountUses",
              "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}}
aws.sns.Topic("public-topic", kms_master_key_id="alias/aws/sns", tags=TAGS, policy=document(ANYONE_PUBLISHES))
open_topic = aws.sns.Topic("open-policy-topic", kms_master_key_id="alias/aws/sns", tags=TAGS)
aws.sns.TopicPolicy("open-topic-policy", arn=open_topic.arn, policy=document(ANYONE_PUBLISHES))
replaced_topic = aws.sns.Topic("replaced-policy-topic", kms_master_key_id="alias/aws/sns", tags=TAGS,
                               policy=document(ANYONE_PUBLISHES))
aws.sns.TopicPolicy("owner-topic-policy", arn=replaced_topic.arn, policy=document(OWNER_ONLY))

ANYONE_SENDS = {"Sid": "AnyoneSends", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                "Resource": "*"}
public_queue = aws.sqs.Queue("public-queue", tags=TAGS)
aws.sqs.QueuePolicy("public-queue-policy", queue_url=public_queue.url, policy=document(ANYONE_SENDS))
topic_fed_queue = aws.sqs.Queue("topic-fed-queue", tags=TAGS)
aws.sqs.QueuePolicy("topic-fed-queue-policy", queue_url=topic_fed_queue.url, policy=document(
    {**ANYONE_SENDS, "Sid": "OrdersTopicSends",
     "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:orders"}}}))
# Everyone narrowed to AWS services (AWS's block public access: not public), as Principal {"Service": ...} names them:
# one by its fixed name, any by aws:PrincipalIsAWSService true. Under BoolIfExists a request without the key (any
# user's or role's) passes too; a service name with a wildcard names no one.
for queue_name, condition in (
        ("service-named-queue", {"StringEquals": {"aws:PrincipalServiceName": "sns.amazonaws.com"}}),
        ("any-service-queue", {"Bool": {"aws:PrincipalIsAWSService": "true"}}),
        ("maybe-service-queue", {"BoolIfExists": {"aws:PrincipalIsAWSService": "true"}})):
    queue = aws.sqs.Queue(queue_name, tags=TAGS)
    aws.sqs.QueuePolicy(f"{queue_name}-policy", queue_url=queue.url,
                        policy=document({**ANYONE_SENDS, "Condition": condition}))
aws.sns.Topic("service-list-topic", kms_master_key_id="alias/aws/sns", tags=TAGS, policy=document({
    **ANYONE_PUBLISHES, "Condition": {"ForAnyValue:StringEquals": {
        "aws:PrincipalServiceNamesList": "events.amazonaws.com"}}}))
aws.sns.Topic("service-pattern-topic", kms_master_key_id="alias/aws/sns", tags=TAGS, policy=document({
    **ANYONE_PUBLISHES, "Condition": {"StringLike": {"aws:PrincipalServiceName": "*.amazonaws.com"}}}))
# A queue whose open `policy` a QueuePolicy replaces, naming it by its URL as written (the queue's id in AWS).
aws.sqs.Queue("replaced-policy-queue", name="replaced-policy-queue", tags=TAGS, policy=document(ANYONE_SENDS))
aws.sqs.QueuePolicy("replaced-queue-policy",
                    queue_url="https://sqs.us-east-1.amazonaws.com/123456789012/replaced-policy-queue",
                    policy=document({**ANYONE_SENDS, "Sid": "AccountSends",
                                     "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}))

# Names CloudWatch and EventBridge create or update by: every member of a group sharing one is reported. An alarm's
# name in another region (its own `region`, or its provider's) or behind a provider that assumes a role (maybe
# another account), or a rule's on another event bus, is another; a dashboard's is the account's.
# Each alarm tells the on-call topic when it goes into ALARM (its ARN unknown in a first preview).
on_call = aws.sns.Topic("on-call", kms_master_key_id="alias/aws/sns", tags=TAGS)
METRIC = dict(comparison_operator="GreaterThanThreshold", evaluation_periods=1, metric_name="5XXError",
              namespace="AWS/ApiGateway", period=60, statistic="Average", threshold=1, tags=TAGS)
ALARM = dict(**METRIC, alarm_actions=[on_call.arn])
aws.cloudwatch.MetricAlarm("orders-alarm", name="orders-5xx", **ALARM)
aws.cloudwatch.MetricAlarm("orders-alarm-again", name="orders-5xx", **ALARM)
aws.cloudwatch.CompositeAlarm("orders-composite", alarm_name="orders-5xx", alarm_rule='ALARM("orders-5xx")',
                              alarm_actions=[on_call.arn], tags=TAGS)
aws.cloudwatch.MetricAlarm("eu-orders-alarm", name="orders-5xx", region="eu-west-1", **ALARM)
west = aws.Provider("west", region="us-west-2")
west_again = aws.Provider("west-again", region="us-west-2")
audit_account = aws.Provider("audit-account", region="us-west-2",
                             assume_roles=[{"role_arn": "arn:aws:iam::444455556666:role/alarms"}])
aws.cloudwatch.MetricAlarm("west-alarm", name="latency", **ALARM, opts=pulumi.ResourceOptions(provider=west))
aws.cloudwatch.MetricAlarm("west-alarm-again", name="latency", **ALARM,
                           opts=pulumi.ResourceOptions(provider=west_again))
aws.cloudwatch.MetricAlarm("audit-account-alarm", name="latency", **ALARM,
                           opts=pulumi.ResourceOptions(provider=audit_account))
# Through the role, in the same account, with the region on the resource: one namespace with the one above.
aws.cloudwatch.MetricAlarm("audit-account-alarm-again", name="latency", region="us-west-2", **ALARM,
                           opts=pulumi.ResourceOptions(provider=audit_account))
# A dashboard written through the role is in that account: not the default account's "ops".
aws.cloudwatch.Dashboard("audit-account-dashboard", dashboard_name="ops", dashboard_body=json.dumps({"widgets": []}),
                         opts=pulumi.ResourceOptions(provider=audit_account))
aws.cloudwatch.Dashboard("ops-dashboard", dashboard_name="ops", dashboard_body=json.dumps({"widgets": []}))
aws.cloudwatch.Dashboard("ops-dashboard-again", dashboard_name="ops", region="eu-west-1",
                         dashboard_body=json.dumps({"widgets": []}))
# Which account a provider writes in follows its credentials: another `profile` is another account (as Pulumi's
# multiple-providers docs switch accounts), one profile is one account, static keys are the provider's own, and
# `allowed_account_ids` naming one account is that account whatever the profile. All in us-west-2, named "errors".
by_profile = {profile: aws.Provider(f"{profile}-profile", region="us-west-2", profile=profile)
              for profile in ("staging", "production")}
production_again = aws.Provider("production-profile-again", region="us-west-2", profile="production")
static_keys = aws.Provider("static-keys", region="us-west-2", access_key="AKIAIOSFODNN7EXAMPLE",
                           secret_key="example-secret-key")
pinned = [aws.Provider(f"pinned-{profile}", region="us-west-2", profile=profile, allowed_account_ids=["111122223333"])
          for profile in ("ops-a", "ops-b")]
# A profile known only after the update (here from a topic's ARN, which the provider computes on create; its
# auto-name is known at Check): production's, once known.
profile_source = aws.sns.Topic("profile-source", kms_master_key_id="alias/aws/sns", tags=TAGS)
later_profile = aws.Provider("later-profile", region="us-west-2",
                             profile=profile_source.arn.apply(lambda _: "production"))
# Pinned to the account the audit role is in: one account with the role's alarms above.
audit_pinned = aws.Provider("audit-pinned", region="us-west-2", allowed_account_ids=["444455556666"])
aws.cloudwatch.MetricAlarm("audit-pinned-alarm", name="latency", **ALARM,
                           opts=pulumi.ResourceOptions(provider=audit_pinned))
for alarm, provider in (("staging-errors-alarm", by_profile["staging"]),
                        ("later-profile-errors-alarm", later_profile),
                        ("production-errors-alarm", by_profile["production"]),
                        ("production-errors-alarm-again", production_again),
                        ("static-keys-errors-alarm", static_keys),
                        ("pinned-errors-alarm", pinned[0]), ("pinned-errors-alarm-again", pinned[1])):
    aws.cloudwatch.MetricAlarm(alarm, name="errors", **ALARM, opts=pulumi.ResourceOptions(provider=provider))
# Alarms that go into ALARM and run nothing: none listed, an empty list (an OK action only tells of the recovery), a
# composite without actions. The alarms a composite watches may take none (the composite acts), as may one a
# resource of another stack watches (exempted by name in the test's config); an action given by ARN, a Lambda
# function's, counts as one.
aws.cloudwatch.MetricAlarm("silent-alarm", name="silent", ok_actions=[on_call.arn], **METRIC)
aws.cloudwatch.MetricAlarm("empty-actions-alarm", name="empty-actions", alarm_actions=[], **METRIC)
aws.cloudwatch.CompositeAlarm("silent-composite", alarm_name="silent-composite", alarm_rule='ALARM("lambda-action")',
                              tags=TAGS)
cpu_child = aws.cloudwatch.MetricAlarm("cpu-child-alarm", name="cpu-child-high", **METRIC)
aws.cloudwatch.CompositeAlarm("cpu-composite", alarm_name="cpu", alarm_rule=cpu_child.name.apply(
    lambda name: f"ALARM({name}) AND NOT ALARM(\"deploying\")"), alarm_actions=[on_call.arn], tags=TAGS)
aws.cloudwatch.MetricAlarm("watched-elsewhere-alarm", name="elsewhere-watched", **METRIC)
aws.cloudwatch.MetricAlarm("lambda-action-alarm", name="lambda-action", **METRIC,
                           alarm_actions=["arn:aws:lambda:us-east-1:123456789012:function:remediate"])
# Actions switched off (true when left out, as on every alarm above), and explicitly on.
aws.cloudwatch.MetricAlarm("muted-alarm", name="muted", actions_enabled=False, **ALARM)
aws.cloudwatch.CompositeAlarm("muted-composite", alarm_name="muted-composite", alarm_rule='ALARM("muted")',
                              actions_enabled=False, alarm_actions=[on_call.arn], tags=TAGS)
aws.cloudwatch.MetricAlarm("enabled-alarm", name="enabled", actions_enabled=True, **ALARM)
TRAIL_EVENTS = json.dumps({"source": ["aws.cloudtrail"]})
aws.cloudwatch.EventRule("audit-rule", name="audit", event_pattern=TRAIL_EVENTS, tags=TAGS)
aws.cloudwatch.EventRule("audit-rule-partner-bus", name="audit", event_bus_name="partner", event_pattern=TRAIL_EVENTS,
                         tags=TAGS)
aws.cloudwatch.EventRule("billing-rule", name="billing", event_pattern=TRAIL_EVENTS, tags=TAGS)
aws.cloudwatch.EventRule("billing-rule-again", name="billing", event_bus_name="default", event_pattern=TRAIL_EVENTS,
                         tags=TAGS)
# A bus named by its ARN is that account's in that region (PutRule and PutTargets take another account's or region's
# bus): a rule, or a target, on another account's default bus shares no name with the default account's; a rule on
# the default bus of the account a provider is pinned to, in that provider's region, shares its name.
CENTRAL_BUS = "arn:aws:events:us-east-1:999999999999:event-bus/default"
aws.cloudwatch.EventRule("orders-rule", name="orders", event_pattern=TRAIL_EVENTS, tags=TAGS)
aws.cloudwatch.EventRule("central-orders-rule", name="orders", event_bus_name=CENTRAL_BUS, event_pattern=TRAIL_EVENTS,
                         tags=TAGS)
for target, bus in (("orders-target", None), ("central-orders-target", CENTRAL_BUS)):
    aws.cloudwatch.EventTarget(target, rule="orders", target_id="queue", event_bus_name=bus,
                               arn="arn:aws:sqs:us-east-1:123456789012:orders")
aws.cloudwatch.EventRule("pinned-forward-rule", name="forward", event_pattern=TRAIL_EVENTS, tags=TAGS,
                         opts=pulumi.ResourceOptions(provider=pinned[0]))
aws.cloudwatch.EventRule("pinned-forward-rule-by-arn", name="forward", event_pattern=TRAIL_EVENTS, tags=TAGS,
                         event_bus_name="arn:aws:events:us-west-2:111122223333:event-bus/default")
# Metric filters are named per log group (PutMetricFilter): two on one group share one name, one on another does not.
ERRORS = dict(name="errors", pattern="ERROR", metric_transformation={
    "name": "Errors", "namespace": "App", "value": "1"})
aws.cloudwatch.LogMetricFilter("orders-errors-filter", log_group_name="/app/orders", **ERRORS)
aws.cloudwatch.LogMetricFilter("orders-errors-filter-again", log_group_name="/app/orders", **ERRORS)
aws.cloudwatch.LogMetricFilter("billing-errors-filter", log_group_name="/app/billing", **ERRORS)
# CloudWatch Logs creates or updates these by name in an account's region too: two destinations, delivery sources,
# delivery destinations or account-level resource policies of one name are one; in another region they are two.
STREAM, ROLE = "arn:aws:kinesis:us-east-1:123456789012:stream/logs", "arn:aws:iam::123456789012:role/logs-delivery"
for destination, options in (("central-destination", None), ("central-destination-again", None),
                             ("ireland-central-destination", IN_IRELAND)):
    aws.cloudwatch.LogDestination(destination, name="central", role_arn=ROLE, target_arn=STREAM, tags=TAGS,
                                  opts=options)
BUCKET = "arn:aws:s3:::access-logs-123456789012"
for source in ("api-source", "api-source-again"):
    aws.cloudwatch.LogDeliverySource(source, name="api", log_type="APPLICATION_LOGS", tags=TAGS,
                                     resource_arn="arn:aws:bedrock-agentcore:us-east-1:123456789012:gateway/api")
for destination in ("archive-destination", "archive-destination-again"):
    aws.cloudwatch.LogDeliveryDestination(destination, name="archive", tags=TAGS,
                                          delivery_destination_configuration={"destination_resource_arn": BUCKET})
DELIVERY_POLICY = document({"Effect": "Allow", "Principal": {"Service": "route53.amazonaws.com"},
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/*"})
for policy in ("delivery-policy", "delivery-policy-again"):
    aws.cloudwatch.LogResourcePolicy(policy, policy_name="log-delivery", policy_document=DELIVERY_POLICY)
# A log group's own policy is put by the group's ARN, one per group: a second one on /app/orders replaces the first.
for policy, group_name in (("orders-group-policy", "orders"), ("orders-group-policy-again", "orders"),
                           ("billing-group-policy", "billing")):
    aws.cloudwatch.LogResourcePolicy(policy, policy_document=DELIVERY_POLICY,
                                     resource_arn=f"arn:aws:logs:us-east-1:123456789012:log-group:/app/{group_name}")
# Account policies are put by name within their type (PutAccountPolicy): one of another type or region is another.
SHIP_ALL = json.dumps({"DestinationArn": "arn:aws:lambda:us-east-1:123456789012:function:ship", "FilterPattern": ""})
for policy, kind, options in (("ship-policy", "SUBSCRIPTION_FILTER_POLICY", None),
                              ("ship-policy-again", "SUBSCRIPTION_FILTER_POLICY", None),
                              ("ship-index-policy", "FIELD_INDEX_POLICY", None),
                              ("ireland-ship-policy", "SUBSCRIPTION_FILTER_POLICY", IN_IRELAND)):
    body = json.dumps({"Fields": ["requestId"]}) if kind == "FIELD_INDEX_POLICY" else SHIP_ALL
    aws.cloudwatch.LogAccountPolicy(policy, policy_name="ship", policy_type=kind, policy_document=body,
                                    opts=options)
