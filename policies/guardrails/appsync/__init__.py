"""AppSync guardrails: a GraphQL or Event API logs its resolvers' or handlers' errors, and neither it nor an Event
API's channel namespace admits a caller by a shared API key."""

GRAPHQL_API = "aws:appsync/graphQLApi:GraphQLApi"
EVENT_API = "aws:appsync/api:Api"
CHANNEL_NAMESPACE = "aws:appsync/channelNamespace:ChannelNamespace"
