"""Raw Amazon MQ brokers: a public one, and private ones (said outright, left to the provider's default, and one
whose setting another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("broker-clients", description="Clients of the brokers", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)
USERS = [{"username": "app", "password": "correct-horse-battery"}]


def broker(name, **args):
    return aws.mq.Broker(name, broker_name=name, engine_type="ActiveMQ", engine_version="5.18",
                         host_instance_type="mq.m5.large", users=USERS, subnet_ids=["subnet-0a1b2c3d4e5f60001"],
                         security_groups=[GROUP.id], tags=TAGS, **args)


broker("public-broker", publicly_accessible=True)
broker("private-broker", publicly_accessible=False)
broker("default-broker")
# Known only once the security group exists (false then): unknown in a first preview, which does not judge it.
broker("later-broker", publicly_accessible=GROUP.id.apply(lambda _: False))
