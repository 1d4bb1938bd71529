"""A policy that writes to its props before a second policy reads the same resource."""
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def _overwrite_tags(args, report_violation):
    if "tags" in args.props:
        args.props["tags"] = {}


def _read_tags(args, report_violation):
    if "tags" in args.props and not args.props["tags"]:
        report_violation("tags were emptied by another policy")


PolicyPack(
    name="writes-props",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(name="overwrite-tags", description="writes to props", validate=_overwrite_tags),
        ResourceValidationPolicy(name="read-tags", description="reads props", validate=_read_tags),
    ],
)
