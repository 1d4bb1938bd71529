"""The pins: what `./dev setup` installs, what `pulumi install` in policies/ installs, and what a published pack
(`pulumi policy publish` uploads policies/ alone) installs must be the versions the tests run on."""
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# pip's own and the virtualenv's seed packages: neither set of pins installs them.
SEEDED = {"pip", "setuptools"}


def pins(path: Path) -> dict[str, str]:
    """Name -> version of every `name==version` line in a requirements or constraints file and those it reads
    (`-r`/`-c`, relative to the file, as pip resolves them); a name pinned twice must agree."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "-c ")):
            nested = pins((path.parent / line.split(None, 1)[1]).resolve())
        else:
            requirement = Requirement(line)
            (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
            nested = {canonicalize_name(requirement.name): version}
        for name, version in nested.items():
            assert found.setdefault(name, version) == version, f"{path.name}: {name} is {found[name]} and {version}"
    return found


def closure(names) -> set[str]:
    """The installed distributions `names` need, through their requirements (markers as this interpreter reads
    them, no extras)."""
    todo, seen = [canonicalize_name(n) for n in names], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.distribution(name).requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen - SEEDED


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def test_the_pack_pins_its_whole_closure_at_the_versions_the_tests_run():
    """Only the pack's direct requirements were pinned: `pulumi install` resolved grpcio, protobuf, semver and the
    rest afresh, so a real run's pack could differ from the one the tests evaluate."""
    requirements = [Requirement(line).name for line in (ROOT / "policies" / "requirements.txt").read_text().splitlines()
                    if line.strip() and not line.startswith(("#", "-"))]
    pack = pins(ROOT / "policies" / "constraints.txt")
    assert set(pack) == closure(requirements)
    versions = installed()  # read once: each read scans the whole virtualenv
    assert pack == {name: versions[name] for name in pack}
    assert pins(ROOT / "policies" / "requirements.txt") == pack   # it reads them, and its own pins agree


def test_the_root_pins_read_the_packs_and_cover_the_virtualenv():
    """The virtualenv `./dev setup` makes holds exactly what the root's requirements need, at the pinned versions
    (a tool installed by hand beside them is not the project's)."""
    root, requirements = pins(ROOT / "constraints.txt"), pins(ROOT / "requirements.txt")
    versions = installed()  # read once: each read scans the whole virtualenv
    assert root == {name: versions[name] for name in closure(requirements)}
    # Each pack pin is written once, beside the pack.
    own = {canonicalize_name(Requirement(line).name) for line in (ROOT / "constraints.txt").read_text().splitlines()
           if line.strip() and not line.startswith(("#", "-"))}
    assert not own & set(pins(ROOT / "policies" / "constraints.txt"))
    # The root's requirements pin the pack's own requirements at the same versions.
    assert {name: root[name] for name in requirements} == requirements


# A pinned package named with its version in prose: `pulumi-policy 1.21.0`, `pulumi-aws 7.51`, and the SDK as
# `pulumi 3.272.0` (lower case; "Pulumi 3.94 or later" is a CLI floor, and `#1234` an issue, not a pin).
DOC_VERSION = re.compile(r"(?<![\w/-])(pulumi(?:-policy|-aws)?) (\d+\.\d+(?:\.\d+)?)\b(?![.\d])")


def versions_named(text: str) -> list[tuple[str, str]]:
    return DOC_VERSION.findall(" ".join(text.split()))


def names_the_pin(version: str, pinned: str) -> bool:
    """Whether a version the docs name is the pin, or its release line (`7.51` for 7.51.1, not `7.5`)."""
    return f"{pinned}.".startswith(f"{version}.")


def test_the_docs_name_the_pinned_versions():
    """README and docs/ say which SDK, pulumi-policy and pulumi-aws the tests ran on, and what those versions do or
    lack; a pin bumped without them leaves the prose describing another version."""
    pinned = pins(ROOT / "constraints.txt")
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    named = {(doc.relative_to(ROOT).as_posix(), package, version)
             for doc in docs for package, version in versions_named(doc.read_text())}
    assert {package for _, package, _ in named} == {"pulumi", "pulumi-policy", "pulumi-aws"}
    stale = [(doc, package, version) for doc, package, version in named
             if not names_the_pin(version, pinned[package])]
    assert stale == []


def test_a_version_the_pins_moved_past_would_be_caught():
    assert versions_named("the SDK (pulumi 3.271.0) and pulumi-aws\n7.50 `Stage`; Pulumi 3.94 or later, "
                          "pulumi-aws#3289") == [("pulumi", "3.271.0"), ("pulumi-aws", "7.50")]
    assert names_the_pin("7.51", "7.51.1") and names_the_pin("7.51.1", "7.51.1")
    # A prefix must end at a dot: 7.5 is not 7.51, nor 7.51.10 7.51.1.
    assert not any(names_the_pin(v, "7.51.1") for v in ("7.5", "7.50", "7.51.10", "7.51.1.1", "7.52"))
