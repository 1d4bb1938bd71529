"""The README's synopsis of the offline preview names exactly the options its command line takes."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tools import preview

SYNOPSIS = re.compile(r"^```\n(python -m tools\.preview .*?)```", re.S | re.M)
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def readme_synopsis() -> str:
    found = SYNOPSIS.findall((ROOT / "README.md").read_text())
    assert len(found) == 1, "the README shows the preview's synopsis once, in its own fenced block"
    return found[0]


def parser_options(capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The options the usage line of `python -m tools.preview --help` lists (its own `--help` left out)."""
    assert preview.main(["--help"]) == 0
    usage = capsys.readouterr().out.split("\n\n")[0]
    return set(OPTION.findall(usage)) - {"--help"}


def test_the_readme_synopsis_names_every_option_of_the_preview(capsys):
    assert set(OPTION.findall(readme_synopsis())) == parser_options(capsys)


def test_an_option_missing_from_a_synopsis_would_be_caught(capsys):
    shown = set(OPTION.findall("python -m tools.preview --stack dev [--json]"))
    assert parser_options(capsys) - shown >= {"--config", "--cwd", "--traceback"}
