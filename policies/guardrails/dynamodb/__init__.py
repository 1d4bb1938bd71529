"""DynamoDB guardrails: a table's data outlives a mistaken delete, and its capacity follows demand."""

TABLE = "aws:dynamodb/table:Table"
# Application Auto Scaling: what scales a provisioned table's (or index's) read and write capacity.
SCALABLE_TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"
