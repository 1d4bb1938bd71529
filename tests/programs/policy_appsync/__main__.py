"""Raw AppSync GraphQL APIs: ones that log resolver errors (ERROR, INFO, ALL) and ones that log no field, with field
logging off (NONE) or with no log configuration at all. A level another resource gives, known only after the update,
is not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
LOGS_ROLE = "arn:aws:iam::123456789012:role/appsync-logs"


def graphql(name, level="ERROR", **settings):
    log_config = {"field_log_level": level, "cloudwatch_logs_role_arn": LOGS_ROLE} if level else None
    return aws.appsync.GraphQLApi(name, name=name.replace("-", "_"), authentication_type="AWS_IAM",
                                  log_config=log_config, tags=TAGS, **settings)


orders = graphql("orders-graphql")
graphql("catalogue-graphql", "ALL")
graphql("inventory-graphql", "INFO")
# Field logging off, and no log configuration (CreateGraphqlApi's default: no logs).
graphql("quiet-graphql", "NONE")
graphql("bare-graphql", None)
# A level known only after the update.
graphql("later-graphql", orders.arn.apply(lambda _: "ERROR"))
