"""A program whose apply fails after its resources are registered: the wait for outputs must report it."""
import pulumi
import pulumi_aws as aws

log_group = aws.cloudwatch.LogGroup("app", retention_in_days=30)


def check(name: str) -> str:
    raise ValueError(f"no retention policy for {name}")


pulumi.export("checked", log_group.name.apply(check))
