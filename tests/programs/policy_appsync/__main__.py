"""Raw AppSync GraphQL APIs: ones that log resolver errors (ERROR, INFO, ALL) and ones that log no field, with field
logging off (NONE) or with no log configuration at all; ones that authorize callers by IAM or Cognito, and ones that
take an API key, as their default mode or an additional one, one of them serving a public application (exempted by the
test's config). Event APIs the same way: ones that log their handlers' errors (ERROR, DEBUG) and ones that log none
(NONE, or no log configuration); ones whose default modes take IAM, or an API key offered only as a provider, and
ones that connect, publish or subscribe by API key, one of them a public storefront's. Channel namespaces that keep
the API's modes or override them with IAM, and ones that publish or subscribe by API key, one of them a public
storefront's. Values another resource gives, known only after the update, are not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
LOGS_ROLE = "arn:aws:iam::123456789012:role/appsync-logs"
USER_POOL = {"user_pool_id": "us-east-1_AbCdEfGhI", "default_action": "DENY"}


def graphql(name, level="ERROR", **settings):
    log_config = {"field_log_level": level, "cloudwatch_logs_role_arn": LOGS_ROLE} if level else None
    return aws.appsync.GraphQLApi(name, name=name.replace("-", "_"), log_config=log_config, tags=TAGS,
                                  **{"authentication_type": "AWS_IAM", **settings})


orders = graphql("orders-graphql")
graphql("catalogue-graphql", "ALL", authentication_type="AMAZON_COGNITO_USER_POOLS", user_pool_config=USER_POOL,
        additional_authentication_providers=[{"authentication_type": "AWS_IAM"}])
graphql("inventory-graphql", "INFO")
# Field logging off, and no log configuration (CreateGraphqlApi's default: no logs).
graphql("quiet-graphql", "NONE")
graphql("bare-graphql", None)
# A level known only after the update.
graphql("later-graphql", orders.arn.apply(lambda _: "ERROR"))
# A shared API key, as the default mode or beside Cognito; and a public storefront's, which the config exempts.
graphql("keyed-graphql", authentication_type="API_KEY")
graphql("mixed-graphql", authentication_type="AMAZON_COGNITO_USER_POOLS", user_pool_config=USER_POOL,
        additional_authentication_providers=[{"authentication_type": "AWS_IAM"}, {"authentication_type": "API_KEY"}])
graphql("storefront-graphql", authentication_type="API_KEY")
# A mode known only after the update.
graphql("later-auth-graphql", authentication_type=orders.arn.apply(lambda _: "AWS_IAM"))


def event_api(name, level="ERROR", auth="AWS_IAM", **modes):
    """An Event API logging at `level` (None: no logConfig) whose providers and default modes take `auth`, or the auth
    types `modes` lists for one of them (auth_providers=["AWS_IAM", "API_KEY"], say)."""
    lists = ("auth_providers", "connection_auth_modes", "default_publish_auth_modes", "default_subscribe_auth_modes")
    log_config = {"log_level": level, "cloudwatch_logs_role_arn": LOGS_ROLE} if level else None
    return aws.appsync.Api(name, name=name, tags=TAGS, event_config={
        **{key: [{"auth_type": t} for t in modes.get(key, [auth])] for key in lists}, "log_config": log_config})


orders_events = event_api("orders-events")
event_api("telemetry-events", "DEBUG")
# Handler logging off, and no log configuration (CreateApi's default: no logs).
event_api("quiet-events", "NONE")
event_api("bare-events", None)
# A level known only after the update.
event_api("later-events", orders_events.api_arn.apply(lambda _: "ERROR"))
# Connecting, publishing and subscribing by API key; subscribing by a key beside IAM; a key offered as a provider that
# no default mode takes; and a public storefront's, which the config exempts.
event_api("keyed-events", auth="API_KEY")
event_api("mixed-events", auth_providers=["AWS_IAM", "API_KEY"], default_subscribe_auth_modes=["AWS_IAM", "API_KEY"])
event_api("offered-key-events", auth_providers=["AWS_IAM", "API_KEY"])
event_api("storefront-events", auth="API_KEY")
# A mode known only after the update.
event_api("later-auth-events", auth=orders_events.api_arn.apply(lambda _: "AWS_IAM"))


def namespace(name, **modes):
    """A channel namespace of orders-events, overriding the API's publish or subscribe modes with the auth types
    `modes` lists (publish_auth_modes=["API_KEY"], say)."""
    return aws.appsync.ChannelNamespace(name, name=name, api_id=orders_events.api_id, tags=TAGS, **{
        key: [{"auth_type": t} for t in types] for key, types in modes.items()})


# The API's own modes, and an IAM override.
namespace("orders-ns")
namespace("audit-ns", publish_auth_modes=["AWS_IAM"], subscribe_auth_modes=["AWS_IAM", "AWS_LAMBDA"])
# Publishing by API key; subscribing by a key beside IAM; a public storefront's, which the config exempts.
namespace("keyed-ns", publish_auth_modes=["API_KEY"])
namespace("mixed-ns", subscribe_auth_modes=["AWS_IAM", "API_KEY"])
namespace("storefront-ns", publish_auth_modes=["API_KEY"], subscribe_auth_modes=["API_KEY"])
# A mode known only after the update.
namespace("later-ns", publish_auth_modes=[orders_events.api_arn.apply(lambda _: "AWS_IAM")])
