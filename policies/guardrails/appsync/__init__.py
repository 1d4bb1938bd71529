"""AppSync guardrails: a GraphQL API logs its resolvers and admits no caller by a shared API key."""

GRAPHQL_API = "aws:appsync/graphQLApi:GraphQLApi"
