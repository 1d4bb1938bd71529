"""DynamoDB guardrails: a table's data outlives a mistaken delete, and its capacity follows demand."""

TABLE = "aws:dynamodb/table:Table"
# A global table's replica made as its own resource (a table in its own region, as the inline `replicas[]` are).
TABLE_REPLICA = "aws:dynamodb/tableReplica:TableReplica"
# A global secondary index made as its own resource (`tableName`, `indexName`), as `globalSecondaryIndexes[]` are.
GLOBAL_SECONDARY_INDEX = "aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex"
# Application Auto Scaling: what scales a provisioned table's (or index's) read and write capacity.
SCALABLE_TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"
