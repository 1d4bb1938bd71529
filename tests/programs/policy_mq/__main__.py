"""Raw Amazon MQ brokers: a public one, and private ones (said outright, left to the provider's default, and one
whose setting another resource gives, known only after the update); ActiveMQ brokers without an audit log (no
`logs`, `logs.audit` false) and with one, and a RabbitMQ broker, which has no audit log; brokers of engine versions
that still allow it that take no new engine version by themselves (said outright, left out: the provider sends false);
single-instance brokers of each engine (left out, said outright) and ones that span Availability Zones."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("broker-clients", description="Clients of the brokers", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)
USERS = [{"username": "app", "password": "correct-horse-battery"}]
# Each engine's settings that pass every policy but the one a broker gets wrong.
ACTIVEMQ = {"engine_type": "ActiveMQ", "engine_version": "5.18", "logs": {"audit": True, "general": True},
            "auto_minor_version_upgrade": True, "deployment_mode": "ACTIVE_STANDBY_MULTI_AZ"}
RABBITMQ = {"engine_type": "RabbitMQ", "engine_version": "3.13", "logs": {"general": True},
            "auto_minor_version_upgrade": True, "deployment_mode": "CLUSTER_MULTI_AZ"}
ONE_SUBNET = ["subnet-0a1b2c3d4e5f60001"]


def broker(name, engine=ACTIVEMQ, **args):
    return aws.mq.Broker(name, broker_name=name, host_instance_type="mq.m5.large", users=USERS,
                         security_groups=[GROUP.id], tags=TAGS,
                         **{"subnet_ids": [*ONE_SUBNET, "subnet-0a1b2c3d4e5f60002"], **engine, **args})


broker("public-broker", publicly_accessible=True)
broker("private-broker", publicly_accessible=False)
broker("default-broker")
# Known only once the security group exists (false then): unknown in a first preview, which does not judge it.
broker("later-broker", publicly_accessible=GROUP.id.apply(lambda _: False))

broker("unaudited-broker", logs=None)
broker("general-only-broker", logs={"audit": False, "general": True})
broker("later-audited-broker", logs={"audit": GROUP.id.apply(lambda _: True)})
broker("rabbit-broker", engine=RABBITMQ)

# Engine versions before ActiveMQ 5.18 and RabbitMQ 3.13, where Amazon MQ still takes false.
broker("pinned-broker", engine_version="5.17.6", auto_minor_version_upgrade=False)
broker("unpatched-rabbit", engine={**RABBITMQ, "engine_version": "3.12.13", "auto_minor_version_upgrade": None})
broker("later-patched-broker", auto_minor_version_upgrade=GROUP.id.apply(lambda _: True))

# Left out, the provider sends SINGLE_INSTANCE; the provider takes the mode in any case.
broker("single-broker", deployment_mode=None, subnet_ids=ONE_SUBNET)
broker("single-rabbit", engine=RABBITMQ, deployment_mode="SINGLE_INSTANCE", subnet_ids=ONE_SUBNET)
broker("lower-case-rabbit", engine=RABBITMQ, deployment_mode="cluster_multi_az")
