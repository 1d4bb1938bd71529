"""DynamoDB guardrails: a table's data outlives a mistaken delete, and its capacity follows demand; a DynamoDB
Accelerator (DAX) cluster's cache is encrypted."""

TABLE = "aws:dynamodb/table:Table"
# A global table's replica made as its own resource (a table in its own region, as the inline `replicas[]` are).
TABLE_REPLICA = "aws:dynamodb/tableReplica:TableReplica"
# A global secondary index made as its own resource (`tableName`, `indexName`), as `globalSecondaryIndexes[]` are.
GLOBAL_SECONDARY_INDEX = "aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex"
# Application Auto Scaling: what scales a provisioned table's (or index's) read and write capacity.
SCALABLE_TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"
# aws-native's (CloudFormation's, as CDK writes a table's scaling), whose properties are named as pulumi-aws's, but
# whose policy may name its target by Cloud Control's id alone (`scalingTargetId`).
NATIVE_SCALABLE_TARGET = "aws-native:applicationautoscaling:ScalableTarget"
NATIVE_SCALING_POLICY = "aws-native:applicationautoscaling:ScalingPolicy"
# A DynamoDB Accelerator cluster: a cache of the tables' items on nodes of its own, set up as CreateCluster makes it
# (terraform-provider-aws `aws_dax_cluster`: its encryption settings are ForceNew; DAX cannot change them).
DAX_CLUSTER = "aws:dax/cluster:Cluster"
