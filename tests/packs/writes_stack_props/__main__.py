"""A stack policy that writes to its resources' props before a second stack policy reads them."""
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy


def _overwrite_tags(args, report_violation):
    for resource in args.resources:
        if "tags" in resource.props:
            resource.props["tags"] = {}


def _read_tags(args, report_violation):
    for resource in args.resources:
        if "tags" in resource.props and not resource.props["tags"]:
            report_violation("tags were emptied by another policy", resource.urn)


PolicyPack(
    name="writes-stack-props",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        StackValidationPolicy(name="overwrite-stack-tags", description="writes to props", validate=_overwrite_tags),
        StackValidationPolicy(name="read-stack-tags", description="reads props", validate=_read_tags),
    ],
)
