"""AppSync guardrails: a GraphQL API logs its resolvers."""

GRAPHQL_API = "aws:appsync/graphQLApi:GraphQLApi"
