"""Customer managed KMS keys: every key the program makes has one shape, and one place says it."""
from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_aws as aws

from . import naming

# The longest wait AWS allows between scheduling a key's deletion and deleting it: a key deleted with its stack
# (or by mistake) can be restored meanwhile, and what it encrypted read again.
DELETION_WINDOW_DAYS = 30


def customer_key(name: str, opts: pulumi.ResourceOptions, *, description: str, environment: str,
                 purpose: Optional[str] = None, policy: Optional[pulumi.Input[str]] = None,
                 **settings: Any) -> aws.kms.Key:
    """A symmetric key that AWS rotates every year, under `opts` (its parent, and whether it is protected or kept),
    named for people by the alias `alias/<env>/<purpose>` where `purpose` is given. The alias, under the same
    parent, is never kept: a key kept past its stack leaves the name free for the next one. `policy` None keeps
    KMS's default (the account administers the key)."""
    key = aws.kms.Key(name, description=description, enable_key_rotation=True,
                      deletion_window_in_days=DELETION_WINDOW_DAYS, policy=policy, opts=opts, **settings)
    if purpose is not None:
        aws.kms.Alias(name, name=naming.key_alias(environment, purpose), target_key_id=key.key_id,
                      opts=pulumi.ResourceOptions(parent=opts.parent))
    return key
