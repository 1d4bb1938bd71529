"""MSK guardrails: a provisioned Kafka cluster encrypts what its brokers send each other and its clients, stays off the
internet, asks every client who it is, and delivers its broker logs; an MSK Connect connector reaches its cluster over
TLS and delivers its workers' logs. MSK Serverless clusters are not judged: they always take TLS and IAM
authentication only, and have no public access or broker logs to set."""

CLUSTER = "aws:msk/cluster:Cluster"
CONNECTOR = "aws:mskconnect/connector:Connector"
