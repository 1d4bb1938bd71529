"""Amazon MQ guardrails: a broker has no public address."""

BROKER = "aws:mq/broker:Broker"
"""Amazon MQ brokers, ActiveMQ or RabbitMQ (terraform-provider-aws `aws_mq_broker` sends `publicly_accessible` in
every CreateBroker call, false when left out, as is the API's own default; ForceNew)."""
