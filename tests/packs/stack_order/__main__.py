"""A stack policy that reports the resources in the order it is given them, with their links."""
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy


def _list_in_order(args, report_violation):
    report_violation("; ".join(
        f"{r.name} <- {r.parent.name if r.parent else '-'} [{', '.join(d.name for d in r.dependencies)}]"
        for r in args.resources))


PolicyPack(
    name="stack-order",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[StackValidationPolicy(name="list-in-order", description="lists the stack", validate=_list_in_order)],
)
