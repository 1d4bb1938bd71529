"""Stack-wide default tags, applied in one place.

A stack transformation (the legacy kind: new-style transforms do not run under mocks) adds the stack's
tags to every resource that takes a `tags` map, so the required-tags guardrail sees them in the
resource inputs both offline and in a real preview.
"""
from __future__ import annotations

from typing import Mapping, Optional

import pulumi


def register_default_tags(tags: Mapping[str, str]) -> None:
    if not tags:
        return
    defaults = dict(tags)

    def add_tags(args: pulumi.ResourceTransformationArgs) -> Optional[pulumi.ResourceTransformationResult]:
        # pulumi_aws resources keep a `tags` key in their props exactly when they are taggable.
        if "tags" not in args.props:
            return None
        current = args.props["tags"]
        if current is not None and not isinstance(current, Mapping):
            return None
        props = dict(args.props)
        props["tags"] = {**defaults, **(current or {})}
        return pulumi.ResourceTransformationResult(props=props, opts=args.opts)

    pulumi.runtime.register_stack_transformation(add_tags)
