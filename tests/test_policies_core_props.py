"""The pack's shared value readers (policies/guardrails/core/props.py and the families' own), on their edge cases:
values unknown until the update, left out, and of the wrong type."""
from __future__ import annotations

import sys

import pytest
from pulumi.runtime import rpc
from pulumi_policy.proxy import unknown_checking_proxy

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "policies"))  # the pack's own import root
from guardrails.core.props import UNKNOWN, lower_text, peek, upper_text, version_numbers  # noqa: E402
from guardrails.elasticbeanstalk import switch_values  # noqa: E402


@pytest.mark.parametrize("text, numbers", [
    ("1.4.0", (1, 4, 0)), ("3", (3,)), ("16.00", (16, 0)),
    ("LATEST", None), ("1.4.0-beta", None), ("v1.4", None), ("1..4", None), ("1.4.", None), ("", None),
    ("1.4\n", None), (" 1.4", None),
])
def test_version_numbers_reads_a_whole_dotted_version(text, numbers):
    assert version_numbers(text) == numbers


@pytest.mark.parametrize("text, numbers", [
    ("16.00.4185.3.v1", (16, 0, 4185, 3)), ("postgres16", (16,)), ("mysql8.0", (8, 0)),
    ("sqlserver-ex-16.0", (16, 0)), ("aurora-mysql8.0", (8, 0)), ("1.4.0", (1, 4, 0)), ("postgres", None), ("", None),
])
def test_version_numbers_within_reads_the_first_version_in_the_text(text, numbers):
    assert version_numbers(text, within=True) == numbers


@pytest.mark.parametrize("value", [None, UNKNOWN, 1.4, 16, True, ["1.4"], {"version": "1.4"}])
@pytest.mark.parametrize("within", [False, True])
def test_version_numbers_of_no_text_is_none(value, within):
    assert version_numbers(value, within=within) is None


def test_versions_compare_by_number_not_as_text():
    assert version_numbers("1.10.0") > version_numbers("1.4.0") > version_numbers("1.3")


@pytest.mark.parametrize("fold, value, folded", [
    (upper_text, "Enabled", "ENABLED"), (upper_text, "activemq", "ACTIVEMQ"), (upper_text, "", ""),
    (lower_text, "ALLOW", "allow"), (lower_text, "Deny", "deny"),
])
def test_the_case_helpers_fold_text(fold, value, folded):
    assert fold(value) == folded


@pytest.mark.parametrize("fold", [upper_text, lower_text])
@pytest.mark.parametrize("value", [None, True, 1, 1.0, ["ENABLED"], {"status": "ENABLED"}])
def test_the_case_helpers_give_none_for_no_text(fold, value):
    assert fold(value) is None


@pytest.mark.parametrize("fold", [upper_text, lower_text])
def test_the_case_helpers_keep_an_unknown_value_unknown(fold):
    assert fold(peek(unknown_checking_proxy({"status": rpc.UNKNOWN}), "status")) is UNKNOWN


LOGS = "aws:elasticbeanstalk:cloudwatch:logs"


def _settings(*values, **props) -> dict:
    return {"settings": [{"namespace": LOGS, "name": "StreamLogs", "value": value} for value in values], **props}


@pytest.mark.parametrize("values", [("true",), (True, "false"), ("",), ()])
def test_switch_values_are_an_options_text_and_booleans(values):
    assert switch_values(unknown_checking_proxy(_settings(*values)), LOGS, "StreamLogs") == list(values)


@pytest.mark.parametrize("values", [(1,), ("true", 1.0), ({"on": True},), (["true"],), (None,)])
def test_switch_values_judge_no_option_with_a_value_of_another_type(values):
    assert switch_values(unknown_checking_proxy(_settings(*values)), LOGS, "StreamLogs") is None


@pytest.mark.parametrize("props", [
    _settings(rpc.UNKNOWN), _settings("true", rpc.UNKNOWN), {"settings": rpc.UNKNOWN}, {"settings": [rpc.UNKNOWN]},
    {"settings": [{"namespace": rpc.UNKNOWN, "name": "StreamLogs", "value": "true"}]},
])
def test_switch_values_leave_an_unknown_option_unjudged(props):
    assert switch_values(unknown_checking_proxy(props), LOGS, "StreamLogs") is None


def test_switch_values_leave_an_option_the_settings_do_not_name_to_the_template():
    assert switch_values(unknown_checking_proxy(_settings()), LOGS, "StreamLogs") == []
    assert switch_values(unknown_checking_proxy(_settings(templateName="base")), LOGS, "StreamLogs") is None
