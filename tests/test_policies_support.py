"""Helpers for the guardrail tests, and the tests that hold the pack together.

Every family module (`test_policies_<family>.py`) runs its throwaway raw program once through the real
evaluation path (`tools.preview.run_preview`: the program under mocks, the pack's own policy objects
through pulumi-policy's analyzer) and lists:

- FAILING: each expected violation as (policy, resource, level, message text); the program must produce
  exactly these (policy, resource) pairs, no more;
- PASSING: (policy, resource) pairs the policy evaluates and must leave alone.

The tests here check that together they give every policy a failing and a passing case, that the
catalogue is well formed, and that docs/policies.md (generated from the registry) and the stack configs
agree with the pack.
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc
from pulumi_policy import StackValidationPolicy

from tests.conftest import ROOT, raw_config, shared_preview
from tools.mockrun import CapturedResource
from tools.policyeval import PolicyReport, evaluate, load_policy_pack, read_policy_config
from tools.preview import PreviewResult

PACK = ROOT / "policies"
PROGRAMS = ROOT / "tests" / "programs"
CONFIG = PACK / "config"
# Every tests/test_policies_<family>.py with FAILING/PASSING lists counts towards coverage.
FAMILIES = tuple(sorted(p.stem[len("test_policies_"):] for p in (ROOT / "tests").glob("test_policies_*.py")
                        if p.stem not in ("test_policies_support", "test_policies_compliant")))

sys.path.insert(0, str(PACK))  # the pack's own import root, as `policies/__main__.py` sees it
import catalogue as docs_catalogue  # noqa: E402  (policies/catalogue.py)
from guardrails import ALL_POLICIES, catalogue  # noqa: E402
from guardrails.tags import TAGGABLE_TYPES  # noqa: E402

BY_NAME = {p.name: p for p in ALL_POLICIES}
PACKS_OWN = load_policy_pack(PACK)
ENTRIES = {e.name: e for e in catalogue()}


@dataclass(frozen=True)
class Finding:
    """One expected violation: `text` must appear in the violation's message."""

    policy: str
    resource: str
    level: str
    text: str

    def __str__(self) -> str:
        return f"{self.policy}:{self.resource}:{self.text[:30]}"


def program(name: str, config: Union[None, dict, Path] = None, *, unknown: bool = False) -> PreviewResult:
    result = shared_preview("test", PROGRAMS / name, PACK, config, unknown_outputs=unknown)
    assert result.error is None, result.error
    return result


def detail(message: str) -> str:
    """A violation's own message (the analyzer prefixes the policy description)."""
    return message.split("\n", 1)[-1]


def pairs(result: PreviewResult) -> set[tuple[str, str]]:
    return {(v.policy, v.name) for v in result.violations}


def messages(result: PreviewResult, policy: str, resource: str) -> list[str]:
    return [detail(v.message) for v in result.violations if v.policy == policy and v.name == resource]


def levels(result: PreviewResult, policy: str, resource: str) -> set[str]:
    return {v.enforcement_level for v in result.violations if v.policy == policy and v.name == resource}


def assert_caught(result: PreviewResult, expected: Finding) -> None:
    found = messages(result, expected.policy, expected.resource)
    assert any(expected.text in m for m in found), (expected, found)
    assert levels(result, expected.policy, expected.resource) == {expected.level}


def assert_exactly(result: PreviewResult, failing: list[Finding]) -> None:
    expected = {(f.policy, f.resource) for f in failing}
    got = pairs(result)
    assert got == expected, {"unexpected": sorted(got - expected), "missing": sorted(expected - got)}


def assert_passes(result: PreviewResult, policy: str, resource: str) -> None:
    """The resource exists, is a type the policy evaluates, and the policy reports nothing on it."""
    types = BY_NAME[policy].resource_types
    matches = [r for r in result.resources if r.name == resource and r.custom]
    assert len(matches) == 1, f"{resource}: expected one resource, found {len(matches)}"
    assert not types or matches[0].type in types, f"{policy} does not evaluate {matches[0].type}"
    assert (policy, resource) not in pairs(result), messages(result, policy, resource)
    assert (policy, resource) not in {(v.policy, v.name) for v in result.not_run}


def assert_unknowns_add_nothing(known: PreviewResult, first_preview: PreviewResult) -> None:
    """With every computed output unknown (a first preview), no violation may appear that a full
    preview does not have: an unknown value is never a violation."""
    def keyed(result: PreviewResult) -> set[tuple[str, str, str]]:
        return {(v.policy, v.name, detail(v.message)) for v in result.violations}

    assert keyed(first_preview) <= keyed(known), sorted(keyed(first_preview) - keyed(known))


def not_run(result: PreviewResult, resource: str) -> set[str]:
    return {v.policy for v in result.not_run if v.name == resource}


# --------------------------------------------------------------------------------------------------
# Unit cases: a handful of resources evaluated by the pack's own analyzer, without running a program
# --------------------------------------------------------------------------------------------------

UNKNOWN = rpc.UNKNOWN
"""A prop value unknown until the update, in wire form (the analyzer's proxy raises when a policy reads it)."""


@dataclass
class Res:
    """One resource as the engine hands it to the analyzer: its props (camelCase wire names) and, per prop, the
    names of the resources that prop's value came from (property dependencies)."""

    type: str
    name: str
    props: dict
    refs: dict = field(default_factory=dict)
    provider: str = ""  # the name of an explicit provider (a `pulumi:providers:aws` Res) among the resources


_PACKS: dict = {}


def analyze(resources: list[Res], config: Union[None, dict, Path] = None) -> PolicyReport:
    """Evaluate `resources` the way `run_preview` evaluates a program's: the pack's policies through
    pulumi-policy's analyzer (Configure, Analyze per resource, AnalyzeStack)."""
    pack = _PACKS.get("pack") or _PACKS.setdefault("pack", load_policy_pack(PACK))
    named: dict[str, Res] = {}
    for r in resources:
        named.setdefault(r.name, r)  # a name's first resource, as a search in order finds it

    def urn(name: str) -> str:
        return f"urn:pulumi:test::unit::{named[name].type}::{name}"

    def captured(r: Res, props: struct_pb2.Struct) -> CapturedResource:
        # The inputs are the state, one Struct for both: evaluate copies each into its requests and changes neither.
        return CapturedResource(
            urn=urn(r.name), type=r.type, name=r.name, parent=None, custom=True, protect=False,
            inputs_struct=props, state=props,
            dependencies=sorted({urn(n) for names in r.refs.values() for n in names}),
            property_dependencies={prop: [urn(n) for n in names] for prop, names in r.refs.items()},
            provider=f"{urn(r.provider)}::{r.provider}-id" if r.provider else "")

    return evaluate(pack, [captured(r, json_format.ParseDict(r.props, struct_pb2.Struct())) for r in resources],
                    read_policy_config(config))


def plain_props(resource: CapturedResource) -> tuple[dict, dict]:
    """The resource's inputs and state as `json_format.MessageToDict` gives them: what `reshaped` edits."""
    return json_format.MessageToDict(resource.inputs_struct), json_format.MessageToDict(resource.state_struct)


def reshaped(resource: CapturedResource, path: tuple, value,
             props: Optional[tuple[dict, dict]] = None) -> CapturedResource:
    """A copy of a program's resource whose inputs and state hold `value` at `path` (keys and list indexes) where they
    hold something already, for `evaluate` to judge as the analyzer judges the program's own. `props`, the resource's
    `plain_props` when the caller keeps them for many rounds (converting them each time was a fifth of its time), is
    read, and left as it was."""
    def put(props: dict, struct: struct_pb2.Struct) -> struct_pb2.Struct:
        holder = props
        try:
            for step in path[:-1]:
                holder = holder[step]
            old = holder[path[-1]]  # only where a value is already
            holder[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # not there, or inside text: unchanged (`evaluate` only reads it)
            return struct
        try:
            return json_format.ParseDict(props, struct_pb2.Struct())
        finally:
            holder[path[-1]] = old

    inputs, state = props or plain_props(resource)
    return dataclasses.replace(resource, inputs_struct=put(inputs, resource.inputs_struct),
                               state=put(state, resource.state_struct))


def findings(report: PolicyReport) -> set[tuple[str, str, str]]:
    """(policy, resource, message) of every violation, at any level."""
    return {(v.policy, v.name, detail(v.message)) for v in report.violations}


# The tags `tags-resource-required` asks of a resource by default, for resources built in a test.
DEFAULT_TAGS = {"Project": "p", "Environment": "e", "Owner": "o"}


def policies_found(resources: list[Res], config: Union[None, dict] = None) -> set[str]:
    """The policies that find something in `resources`, every policy mandatory unless `config` says otherwise."""
    return {policy for policy, _, _ in findings(analyze(resources, {"all": "mandatory", **(config or {})}))}


# Environment values that give a secret away by their shape whatever the variable's name (the `*-no-secret-env`
# policies scan values with detect-secrets, and tell three shapes it misses themselves), under innocuous names, with
# the kind a finding names and who told it; and values that must stay clean: URLs without a password or with a
# placeholder for it, a key's path, digests, ARNs, paths and names as long as a key. Secrets are built from parts,
# so that no scanner of this repository takes a test for a leak.
SECRET_VALUES = {
    "DATABASE_URL": ("postgres://app:" + "hunter2@db:5432/orders", "Basic Auth Credentials (detect-secrets)"),
    "TLS_KEY": ("-----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
                "Private Key (detect-secrets)"),
    "BUILD_INFO": ("ghp_" + "x7Kq2LmN9pR4sT6vW8yZa1B3c5D7e9F0g2H4", "GitHub Token (detect-secrets)"),
    # A password with no user (Redis's AUTH without an ACL user), and a bare AWS secret access key (AWS's example).
    "SESSION_STORE_URL": ("redis://:" + "hunter2pass@cache:6379", "Basic Auth Credentials (detect-secrets)"),
    "ARCHIVE_UPLOADER": ("wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY", "AWS Secret Access Key (its shape)"),
    # The same, pasted with the line break a copy from a file or a terminal brings along.
    "BACKUP_UPLOADER": ("wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY\n", "AWS Secret Access Key (its shape)"),
    # A connection string's password, JDBC's, ADO.NET's and libpq's, which detect-secrets does not read.
    "SPRING_DATASOURCE_URL": ("jdbc:postgresql://db:5432/orders?user=app&pass" + "word=hunter2",
                              "Connection String Password (its shape)"),
    "ORDERS_DB": ("Server=db;Database=orders;User Id=sa;Pass" + "word=hunter2!;",
                  "Connection String Password (its shape)"),
    "REPORTS_DSN": ("host=db user=reports pwd=" + "hunter2 dbname=reports", "Connection String Password (its shape)"),
    # ODBC's braces take a `;` inside the password; a JAAS line quotes it.
    "ODBC_DSN": ("Driver={PostgreSQL};Server=db;Pwd={" + "Sup3rS3cret};", "Connection String Password (its shape)"),
    "WAREHOUSE_DSN": ("Driver={PostgreSQL};Server=db;Uid=app;Pwd={" + "Xk9#pq;Lm2};",
                      "Connection String Password (its shape)"),
    "LEGACY_DSN": ("host=db user=app passwd=" + "hunter2x", "Connection String Password (its shape)"),
    # A path is the shell's PWD only under that key.
    "ARCHIVE_DB": ("Server=db;User Id=app;Password=/" + "hunter2x;", "Connection String Password (its shape)"),
    "KAFKA_JAAS": ('org.apache.kafka.common.security.plain.PlainLoginModule required username="app" pass'
                   + 'word="hunter2";', "Connection String Password (its shape)"),
}
CLEAN_VALUES = {
    "DATABASE_URL": "postgres://app@db:5432/orders",
    "REPLICA_URL": "postgres://app:${DB_PASSWORD}@replica:5432/orders",
    "CACHE_URL": "redis://app:$(cat /run/secrets/cache)@cache:6379",
    "QUEUE_URL": "amqp://app:{{resolve:secretsmanager:queue:SecretString:password}}@mq:5672",
    "SEARCH_URL": "https://app:{{password}}@search:9200",
    "TLS_KEY": "/etc/tls/private/key.pem",
    "LOG_LEVEL": "info",
    # What a review found the library's loose shapes take for secrets: a word and an ARN after `:` (Artifactory),
    # Twilio's account SID (an identifier), a printf field where a password goes.
    "OWNER_TEAM": "APACPlatform01",
    "PAYMENTS_STATE_MACHINE": "arn:aws:states:us-east-1:123456789012:stateMachine:APDailyPayments",
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "DSN_TEMPLATE": "postgres://app:%s@db:5432/orders",
    "NAMED_DSN_TEMPLATE": "postgres://app:%(password)s@db:5432/orders",
    # URLs with no user: none with no password, an empty one or a placeholder for it.
    "SESSION_STORE_URL": "redis://cache:6379",
    "SESSION_REPLICA_URL": "redis://:@replica:6379",
    "SESSION_BACKUP_URL": "redis://:${REDIS_PASSWORD}@backup:6379",
    "SESSION_DSN_TEMPLATE": "redis://:%s@cache:6379",
    "SESSION_LOCAL_URL": "redis://:<password>@localhost:6379",
    # Connection strings with no password, a placeholder or a format field for it.
    "REPORTS_DB": "Server=db;Database=reports;User Id=reports;Password=${REPORTS_PASSWORD};",
    "ANALYTICS_DB": "Server=db;Database=analytics;Integrated Security=true;",
    "JDBC_TEMPLATE": "jdbc:postgresql://db:5432/orders?user=app&password=%s",
    "ODBC_TEMPLATE": "Driver={PostgreSQL};Server=db;Uid=app;Pwd={0};",
    "MASKED_DSN": "host=db user=app password=*** dbname=orders",
    # Quoted placeholders, an empty password, and the shell's working directory.
    "KAFKA_JAAS_TEMPLATE": 'PlainLoginModule required username="app" password="${KAFKA_PASSWORD}";',
    "QUOTED_TEMPLATE": "Server=db;User Id=app;Password='%s';",
    "LOCAL_DB": 'Server=localhost;User Id=dev;Password="";',
    "SHELL_STATE": "HOME=/home/app PWD=/srv/app",
    "ANGLED_TEMPLATE": "Server=db;User Id=app;Password=<password>;",
    "VARIABLE_DSN": "host=db user=app password=$DB_PASSWORD dbname=orders",
    "NAMED_FORMAT_DSN": "Server=db;Password=%(password)s;",
    # Templates of other tools: Spring's default, the shell's, Windows', mustache's and CloudFormation's, ERB's.
    "SPRING_DSN": "jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD:}",
    "SHELL_DEFAULT_DSN": "host=db user=app password=${DB_PASSWORD:-changeme}",
    "SUBSHELL_DSN": "Server=db;Password=$(DB_PASSWORD);",
    "WINDOWS_DSN": "Server=db;Password=%DB_PASSWORD%;",
    "MUSTACHE_DSN": "Server=db;User Id=app;Password={{password}};",
    "RESOLVED_DSN": "Server=db;Password={{resolve:secretsmanager:db:SecretString:password}};",
    "ERB_DSN": "host=db user=app password=<%= password %>",
    # Not an AWS secret access key: an image digest, a git commit (40 hex characters), an ARN, and a path and a name
    # of a key's 40 characters, mixed case and digits, with and without `/`.
    "IMAGE_DIGEST": "sha256:" + "9b2a1c0d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
    "GIT_COMMIT": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    "ORDERS_ROLE": "arn:aws:iam::123456789012:role/OrdersTask",
    "CONFIG_OBJECT": "services/orders/Config2/Production/Main1",
    "DASHBOARD": "ContainerInsightsDashboardForOrdersApp01",
}


def _family(name: str):
    return importlib.import_module(f"tests.test_policies_{name}")


# --------------------------------------------------------------------------------------------------
# The pack as a whole
# --------------------------------------------------------------------------------------------------

NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+){2,}$")


def test_the_pack_has_at_least_35_uniquely_named_policies():
    names = [p.name for p in ALL_POLICIES]
    assert len(names) >= 35
    assert len(set(names)) == len(names)
    assert [n for n in names if not NAME_RE.match(n)] == []


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=lambda p: p.name)
def test_each_policy_is_described_with_a_severity_and_an_explicit_level(policy):
    assert policy.description.endswith(".") and len(policy.description) > 30
    assert policy.severity is not None
    assert policy.enforcement_level is not None
    assert isinstance(policy.resource_types, tuple)
    for key, schema in ((policy.config_schema.properties or {}).items() if policy.config_schema else ()):
        assert "default" in schema and "description" in schema, (policy.name, key)


def test_a_resource_policy_says_which_types_it_does_not_apply_to_as_its_validate_does():
    """`not_applicable_to` (read by the offline analyzer, which then skips building the policy's arguments)
    answers for every type any policy checks, and one none does, as the catalogue's types say: None for a
    type the policy checks (every type for one without types), else the reason `validate` gives."""
    from pulumi_policy.policy import ResourceValidationArgs, ResourceValidationPolicy, _NotApplicableError

    resource_policies = [p for p in ALL_POLICIES if isinstance(p, ResourceValidationPolicy)]
    assert len(resource_policies) > 30
    types = sorted({t for p in ALL_POLICIES for t in p.resource_types} | {"aws:example/unchecked:Unchecked"})
    assert len(types) > 30
    for policy in resource_policies:
        for resource_type in types:
            reason = policy.not_applicable_to(resource_type)
            if not policy.resource_types or resource_type in policy.resource_types:
                assert reason is None, (policy.name, resource_type)
                continue
            assert reason == "applies to " + ", ".join(policy.resource_types), (policy.name, resource_type)
            args = ResourceValidationArgs(resource_type, {}, "urn:x", "x", None, None, {}, {})
            with pytest.raises(_NotApplicableError) as raised:
                policy.validate(args, lambda message, urn=None: None)
            assert raised.value.reason == reason, policy.name


def test_a_policy_registered_per_type_runs_the_check_of_the_resources_type_filed_under_its_module():
    from pulumi_policy.policy import ResourceValidationArgs

    entry = {e.name: e for e in catalogue()}["cloudfront-distribution-waf"]
    assert entry.module == "cloudfront/distribution" and not entry.stack
    assert entry.checks.startswith("`webAclId` is set, known or not; a multi-tenant distribution's tenant")
    # The same properties: a distribution is asked for webAclId, a tenant only not to turn its web ACL off.
    props = {"customizations": {"webAcl": {"action": "disable"}}}
    reported = {}
    for resource_type in ("aws:cloudfront/distribution:Distribution",
                          "aws:cloudfront/distributionTenant:DistributionTenant"):
        messages = []
        args = ResourceValidationArgs(resource_type, props, "urn:x", "x", None, None, {}, {})
        entry.policy.validate(args, lambda message, urn=None: messages.append(message))
        reported[resource_type.rsplit(":", 1)[1]] = [m.split(":")[0] for m in messages]
    assert reported == {"Distribution": ["webAclId is not set"],
                        "DistributionTenant": ["customizations.webAcl.action is disable"]}


@pytest.mark.parametrize("table", ["FAILING", "PASSING"])
def test_every_policy_has_a_failing_and_a_passing_case(table):
    covered: set[str] = set()
    # The compliant program's PASSING list is every policy by construction, so it cannot vouch for coverage.
    for family in FAMILIES:
        for entry in getattr(_family(family), table, []):
            covered.add(entry.policy if isinstance(entry, Finding) else entry[0])
    assert sorted(set(BY_NAME) - covered) == []
    assert sorted(covered - set(BY_NAME)) == []


@pytest.mark.parametrize("argv", [["--help"], ["--chek"]])
def test_the_catalogue_writes_nothing_when_asked_for_help_or_given_a_typo(argv, monkeypatch):
    written = []
    monkeypatch.setattr(docs_catalogue.Path, "write_text", lambda self, text: written.append(self))
    with pytest.raises(SystemExit) as stopped:
        docs_catalogue.main(argv)
    assert (stopped.value.code, written) == (0 if argv == ["--help"] else 2, [])


def test_the_catalogue_refuses_to_run_without_docstrings_and_the_pack_loads_without_them():
    """It is made of the checks' docstrings, which `python -OO` drops: one line and exit 2, not a catalogue of empty
    cells (nor an AttributeError: its --help read the module's docstring). The pack still loads without them: a
    review found `PYTHONOPTIMIZE=2 ./dev preview` refusing it, its registry asking each check for its docstring."""
    import subprocess

    done = subprocess.run([sys.executable, "-OO", str(PACK / "catalogue.py"), "--check"], capture_output=True,
                          text=True, cwd=ROOT)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "error: the catalogue is made of the checks' docstrings, which python -OO (PYTHONOPTIMIZE=2) drops: run "
               "it without\n")
    loaded = subprocess.run([sys.executable, "-OO", "-c", "import guardrails; print(len(guardrails.ALL_POLICIES))"],
                            capture_output=True, text=True, cwd=PACK)
    assert (loaded.returncode, loaded.stdout) == (0, f"{len(BY_NAME)}\n"), loaded.stderr


def test_the_readme_counts_the_packs_policies_as_the_registry_does():
    # README says how many policies the pack runs, of each kind, where it says what the pack costs a real run.
    stated = re.findall(r"each of its (\d+) policies \((\d+) per resource, (\d+) per stack\)",
                        " ".join((ROOT / "README.md").read_text().split()))
    per_stack = sum(isinstance(p, StackValidationPolicy) for p in ALL_POLICIES)
    assert stated == [(str(len(ALL_POLICIES)), str(len(ALL_POLICIES) - per_stack), str(per_stack))]


def _knobs(stack: str) -> dict[tuple[str, str], object]:
    """(policy, knob) -> value of every knob a stack's policy config sets."""
    config = json.loads((CONFIG / f"{stack}.json").read_text())
    return {(policy, knob): value for policy, entry in config.items() if isinstance(entry, dict)
            for knob, value in entry.items() if knob != "enforcementLevel"}


def _passage(path: str, start: str, end: str) -> str:
    text = (ROOT / path).read_text()
    return text.split(start, 1)[1].split(end, 1)[0]


REGIONAL = ("dev", "iot", "prod", "prod-eu")
# Knobs that ask for more rather than exempt anything (README's `tags` names the tags).
REQUIREMENTS = {("tags-resource-required", "requiredTags")}


def test_policies_md_explains_every_exception_a_stack_config_names():
    """"Exceptions in the stack configs" says why each stack config exempts what it names: every knob of names
    (resources, hosts, containers) a regional config sets is there as `<policy>.<knob>`."""
    section = _passage("docs/policies.md", "\n## Exceptions in the stack configs\n", "\n## ")
    named = {key for stack in REGIONAL for key, value in _knobs(stack).items() if isinstance(value, list)}
    assert len(named - REQUIREMENTS) >= 12
    assert sorted(f"{policy}.{knob}" for policy, knob in named - REQUIREMENTS
                  if f"`{policy}.{knob}" not in section) == []


def test_the_readme_names_every_knob_that_names_a_stacks_own_resources():
    """Adding a stack from a copy of another's files: README lists the knobs to rename with it, those whose values
    carry the stack's environment (`dev-payment-service-sc`, `/prod/cloudtrail`, `ingress-gateway.iot.<domain>`)."""
    paragraph = " ".join(_passage("README.md", "A few knobs name the stack's own resources", "rename them").split())
    carrying = set()
    for stack in REGIONAL:
        environment = re.compile(rf"(?<![a-z0-9]){raw_config(stack)['environment']}(?![a-z0-9])")
        carrying |= {knob for (_, knob), value in _knobs(stack).items()
                     if any(environment.search(v) for v in (value if isinstance(value, list) else [value])
                            if isinstance(v, str))}
    assert {"httpsEgressGroups", "privateCaHosts", "exemptLogGroups"} <= carrying
    assert sorted(knob for knob in carrying if f"`{knob}`" not in paragraph) == []


def test_docs_catalogue_is_generated_from_the_registry():
    # docs/policies.md carries the catalogue exactly as policies/catalogue.py renders it from the registrations.
    doc = (ROOT / "docs" / "policies.md").read_text()
    assert docs_catalogue.splice(doc, docs_catalogue.render()) == doc, "run .venv/bin/python policies/catalogue.py"
    rows, header = {}, []
    generated = doc.split(docs_catalogue.BEGIN, 1)[1].split(docs_catalogue.END, 1)[0]
    for line in generated.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| Policy |"):
            header = cells
        match = re.match(r"\| `([a-z0-9-]+)`( \(stack\))? \|", line)
        if match:
            rows[match.group(1)] = dict(zip(header, cells))
    assert sorted(rows) == sorted(BY_NAME)
    for entry in catalogue():
        # The dev and prod columns (one per stack config): levels as the CLI resolves them, and the anchors.
        dev, prod, anchor = (rows[entry.name][column] for column in ("dev", "prod", "Anchor"))
        assert (dev, prod) == (stack_level("dev", entry.name), stack_level("prod", entry.name)), entry.name
        assert all(a.split(" ")[-1] in anchor for a in entry.anchors) if entry.anchors else anchor.startswith(
            "none: ours"), entry.name


def stack_level(stack: str, policy: str) -> str:
    """A policy's level under a stack's config file, resolved the way the CLI does."""
    config = json.loads((CONFIG / f"{stack}.json").read_text())
    entry = config.get(policy)
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and "enforcementLevel" in entry:
        return entry["enforcementLevel"]
    if "all" in config:
        return config["all"]
    return BY_NAME[policy].enforcement_level.value


# Advisory in every stack by design: refinements on top of a guarantee another policy enforces (a V1 VPC link
# still verifies TLS, TEXT access logs are still access logs, a CA in general-purpose mode still issues, a trail
# without a CloudWatch Logs copy still writes the validated, encrypted archive: a stack may turn the copy off; a secret
# under the AWS managed key is still encrypted, as App Mesh's certificate secrets are).
ADVISORY_EVERYWHERE = {"ecs-service-connect-access-log-json", "acmpca-ca-short-lived", "apigateway-integration-vpc-link-v2",
                       "ec2-securitygroup-ingress-from-groups", "iam-task-role-denies-ecs-sc-secrets",
                       "cloudtrail-trail-cloudwatch-logs", "secretsmanager-secret-customer-key"}


def test_prod_is_strict_except_the_advisory_by_design():
    prod = {p: stack_level("prod", p) for p in BY_NAME}
    assert {p for p, level in prod.items() if level == "advisory"} == ADVISORY_EVERYWHERE
    assert {BY_NAME[p].enforcement_level.value for p in ADVISORY_EVERYWHERE} == {"advisory"}
    for stack in (path.stem for path in CONFIG.glob("*.json")):
        assert {stack_level(stack, p) for p in ADVISORY_EVERYWHERE} == {"advisory"}, stack


def test_dev_relaxes_only_to_advisory_and_never_the_guarantees():
    dev = {p: stack_level("dev", p) for p in BY_NAME}
    assert set(dev.values()) == {"mandatory", "advisory"}
    relaxed = {p for p, level in dev.items() if level == "advisory"}
    assert {"apigateway-stage-waf", "apigateway-methodsettings-data-trace-off",
            "ecs-service-connect-tls-kms-key"} | ADVISORY_EVERYWHERE <= relaxed
    # TLS, egress and access logging are never relaxed (a customer-managed key and the log format are refinements).
    never = {p for p in BY_NAME if "tls" in p or "egress" in p or "access-log" in p or "access-logging" in p}
    never -= {"ecs-service-connect-tls-kms-key", "ecs-service-connect-access-log-json"}
    assert len(never) >= 12 and not relaxed & never


def test_an_engine_that_sends_no_knob_values_gets_each_schemas_default(monkeypatch):
    """A knob's default is written once, in its policy's schema: the offline preview sends the schema defaults with
    Configure, as the CLI does, and a check reads the schema's own when an engine sends none."""
    from tools import policyeval

    def own_run(module) -> PreviewResult:  # the family's shared run (its CONFIG, a dict, if it has one)
        config = vars(module).get("CONFIG")
        return program(module.PROGRAM, config if isinstance(config, dict) else None)

    families = [module for module in map(_family, FAMILIES) if hasattr(module, "PROGRAM")]
    resources = [r for module in families for r in own_run(module).resources]
    with_defaults = policyeval.evaluate(PACKS_OWN, resources, {})
    sent = policyeval.configure_request(PACKS_OWN, {})
    assert sent.policyConfig["cloudmap-service-dns-records"].properties["maxTtlSeconds"] == 60

    asked = []

    def levels_only(pack, config, source_name="policy config"):
        asked.append(config)
        request = sent.__class__()
        request.CopyFrom(sent)
        for entry in request.policyConfig.values():
            entry.ClearField("properties")
        return request

    monkeypatch.setattr(policyeval, "configure_request", levels_only)
    monkeypatch.setattr(PACKS_OWN, "_requests", {})  # the pack remembers the request it built for {}
    without = policyeval.evaluate(PACKS_OWN, resources, {})
    assert asked == [{}]
    assert {p: e.properties for p, e in levels_only(PACKS_OWN, {}).policyConfig.items() if e.properties} == {}
    assert [v.to_json() for v in without.violations] == [v.to_json() for v in with_defaults.violations]
    assert [v.to_json() for v in without.not_run] == [v.to_json() for v in with_defaults.not_run]
    # The defaults matter to these programs: with every knob empty, some findings change.
    assert len(with_defaults.violations) > 100


def _takes_tags(token: str) -> bool:
    """Whether the type's resource class in the installed pulumi-aws accepts `tags` (wire name `tags`)."""
    import pulumi_aws

    module, cls = token.split(":")[1].split("/")[0], token.rsplit(":", 1)[1]
    package = getattr(pulumi_aws, module, None) or getattr(pulumi_aws, f"{module}_")  # lambda_: a keyword
    return "tags" in getattr(package, cls)._internal_init.__code__.co_varnames


def test_taggable_types_really_take_tags_in_the_sdk():
    # Each listed type's resource class in pulumi-aws 7.51.1 accepts `tags`.
    assert [token for token in sorted(TAGGABLE_TYPES) if not _takes_tags(token)] == []


def test_every_type_a_policy_judges_that_takes_tags_is_held_to_the_required_tags():
    # An untagged resource of an unlisted type sets no `tags` at all, and passed `tags-resource-required` (an
    # untagged DynamoDB table, S3 bucket or multi-tenant distribution, say).
    judged = {t for entry in catalogue() for t in entry.resource_types if t.startswith("aws:")}
    assert sorted(t for t in judged - TAGGABLE_TYPES if _takes_tags(t)) == []


def test_taggable_load_balancer_types_come_with_their_alb_aliases():
    # pulumi-aws registers the same ELBv2 resources under aws:lb/* and aws:alb/* (pulumi_aws.alb): both are listed.
    import pulumi_aws

    aliases = {t.replace("aws:lb/", "aws:alb/") for t in TAGGABLE_TYPES if t.startswith("aws:lb/")}
    assert aliases and all(hasattr(pulumi_aws.alb, t.rsplit(":", 1)[1]) for t in aliases)
    assert sorted(aliases - TAGGABLE_TYPES) == []


def program_fixtures(name: str, config: Union[None, dict, Path] = None) -> tuple:
    """A family module's two module-scoped fixtures: `result`, its throwaway program under the pack with `config`,
    and `first_preview`, the same with every computed output unknown. In the module:
    `result, first_preview = program_fixtures(PROGRAM, CONFIG)`."""
    def result() -> PreviewResult:
        return program(name, config)

    def first_preview() -> PreviewResult:
        return program(name, config, unknown=True)

    return (pytest.fixture(scope="module", name="result")(result),
            pytest.fixture(scope="module", name="first_preview")(first_preview))


class InsecureProgramSuite:
    """What every family's throwaway program must show: each expected finding with its level and message,
    nothing else, each secure resource passing, and no finding a first preview (unknown outputs) adds. A family
    module subclasses this with FAILING and PASSING and provides the `result` and `first_preview` fixtures
    (`program_fixtures`); tests/conftest.py parametrizes the methods per class."""

    FAILING: list
    PASSING: list

    def test_insecure_resource_is_caught(self, result, expected):
        assert_caught(result, expected)

    def test_nothing_else_is_reported(self, result):
        assert_exactly(result, self.FAILING)

    def test_secure_resource_passes(self, result, policy, resource):
        assert_passes(result, policy, resource)

    def test_unknown_values_never_add_violations(self, result, first_preview):
        assert_unknowns_add_nothing(result, first_preview)
