"""Raw Elastic Beanstalk environments and saved configurations: basic health reporting (said outright, left to the API's
default), enhanced (any case, known only after the update, left to a saved configuration that says it); managed
platform updates off (in the environment's own settings over its saved configuration's too), or on with no update
level, and ones on (said outright, on by default); instance logs not streamed to CloudWatch Logs (said outright, left
to the default) and streamed."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
APP = aws.elasticbeanstalk.Application("shop", name="shop", tags=TAGS)
STACK = "64bit Amazon Linux 2023 v4.3.0 running Python 3.12"
HEALTH = "aws:elasticbeanstalk:healthreporting:system"
MANAGED = "aws:elasticbeanstalk:managedactions"
PLATFORM_UPDATE = "aws:elasticbeanstalk:managedactions:platformupdate"
LOGS = "aws:elasticbeanstalk:cloudwatch:logs"
# Each option an environment needs to pass every policy but the one it gets wrong.
GOOD = {(HEALTH, "SystemType"): "enhanced", (MANAGED, "ManagedActionsEnabled"): "true",
        (MANAGED, "PreferredStartTime"): "Sun:03:00", (PLATFORM_UPDATE, "UpdateLevel"): "minor",
        (LOGS, "StreamLogs"): "true"}


def settings(**changes):
    """GOOD with `changes` (namespace:name -> value; None leaves the option out)."""
    chosen = {**{f"{ns}:{name}": value for (ns, name), value in GOOD.items()}, **changes}
    return [{"namespace": key.rsplit(":", 1)[0], "name": key.rsplit(":", 1)[1], "value": value}
            for key, value in chosen.items() if value is not None]


def environment(name, **args):
    return aws.elasticbeanstalk.Environment(name, application=APP.name, tags=TAGS,
                                            **{"solution_stack_name": STACK, "settings": settings(), **args})


environment("basic-env", settings=settings(**{f"{HEALTH}:SystemType": "basic"}))
environment("default-health-env", settings=settings(**{f"{HEALTH}:SystemType": None}))
environment("enhanced-env")
environment("upper-case-env", settings=settings(**{f"{HEALTH}:SystemType": "Enhanced"}))
environment("later-env", settings=settings(**{f"{HEALTH}:SystemType": APP.name.apply(lambda _: "enhanced")}))

# A saved configuration gives what an environment that names it leaves out; one that leaves it out is judged itself.
TEMPLATED = {f"{HEALTH}:SystemType": None, f"{MANAGED}:ManagedActionsEnabled": None,
             f"{PLATFORM_UPDATE}:UpdateLevel": None, f"{LOGS}:StreamLogs": None}
TEMPLATE = aws.elasticbeanstalk.ConfigurationTemplate("shop-base", name="shop-base", application=APP.name,
                                                     solution_stack_name=STACK, settings=settings())
aws.elasticbeanstalk.ConfigurationTemplate("shop-basic", name="shop-basic", application=APP.name,
                                           solution_stack_name=STACK, settings=settings(**TEMPLATED))
environment("templated-env", solution_stack_name=None, template_name=TEMPLATE.name, settings=settings(**TEMPLATED))
# Its own false turns managed updates off, whatever level its saved configuration gives.
environment("templated-unmanaged-env", solution_stack_name=None, template_name=TEMPLATE.name,
            settings=settings(**{**TEMPLATED, f"{MANAGED}:ManagedActionsEnabled": "false"}))

environment("unmanaged-env", settings=settings(**{f"{MANAGED}:ManagedActionsEnabled": "false"}))
environment("levelless-env", settings=settings(**{f"{PLATFORM_UPDATE}:UpdateLevel": None}))
# Left out, ManagedActionsEnabled is on.
environment("patched-env", settings=settings(**{f"{MANAGED}:ManagedActionsEnabled": None,
                                                 f"{PLATFORM_UPDATE}:UpdateLevel": "patch"}))

environment("unstreamed-env", settings=settings(**{f"{LOGS}:StreamLogs": "false"}))
# Left out, StreamLogs is false.
environment("default-logs-env", settings=settings(**{f"{LOGS}:StreamLogs": None}))
environment("later-logs-env", settings=settings(**{f"{LOGS}:StreamLogs": APP.name.apply(lambda _: "true")}))
