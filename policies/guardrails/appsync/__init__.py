"""AppSync guardrails: a GraphQL or Event API logs its resolvers' or handlers' errors and admits no caller by a
shared API key."""

GRAPHQL_API = "aws:appsync/graphQLApi:GraphQLApi"
EVENT_API = "aws:appsync/api:Api"
CHANNEL_NAMESPACE = "aws:appsync/channelNamespace:ChannelNamespace"
