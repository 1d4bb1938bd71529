"""DynamoDB guardrails: a table's data outlives a mistaken delete."""

TABLE = "aws:dynamodb/table:Table"
