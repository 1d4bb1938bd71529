"""Customer managed KMS keys (components/kms.py): every key the stacks make has the one shape docs/architecture.md
states (rotated yearly, 30 days' deletion window)."""
from __future__ import annotations

import pytest

KEY = "aws:kms/key:Key"


@pytest.mark.parametrize("stack", ["dev", "prod", "iot"])
def test_every_key_rotates_and_waits_the_longest_window_aws_allows_before_it_is_deleted(stack, request):
    """A key deleted with its stack, or by mistake, can be restored within its window, and what it encrypted (the
    audit archive, the log groups kept past a destroy) read again: 30 days, the most ScheduleKeyDeletion takes."""
    keys = request.getfixturevalue(f"{stack}_preview").find(KEY)
    assert len(keys) >= 3
    assert {k.name: (k.inputs.get("deletionWindowInDays"), k.inputs.get("enableKeyRotation")) for k in keys} == {
        k.name: (30, True) for k in keys}
