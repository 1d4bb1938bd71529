"""Stack files as the Pulumi CLI reads them (yaml.v3, pulumi's config package): the offline preview judges the config
`pulumi up` would deploy, or says in one line why it cannot."""
from __future__ import annotations

import codecs
import functools
import json
import re
from pathlib import Path

import pytest
import yaml

from components.config import parse_config, stack_file_path
from tests.conftest import ROOT, program_with_stack, raw_config
from tools import preview as preview_cli
from tools.mockrun import (SECRET_PLACEHOLDER, ProgramError, YamlTimestamp, _read_yaml, load_stack_settings,
                           stack_file_config)

PROJECT = "name: probe\nruntime: python\n"


def _program(tmp_path: Path, stack_text: str, project_text: str = PROJECT, stack: str = "dev",
             stack_dir: str = ".") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(project_text)
    (tmp_path / "__main__.py").write_text("")
    (tmp_path / stack_dir).mkdir(exist_ok=True)
    (tmp_path / stack_dir / f"Pulumi.{stack}.yaml").write_text(stack_text)
    return tmp_path


def _config(tmp_path: Path, stack_text: str, **kwargs) -> dict:
    return load_stack_settings(_program(tmp_path, stack_text, **kwargs), "dev").config


def _error(tmp_path: Path, stack_text: str, *overrides: str, **kwargs) -> str:
    with pytest.raises(ProgramError) as raised:
        load_stack_settings(_program(tmp_path, stack_text, **kwargs), "dev", overrides)
    return str(raised.value)


def test_merge_keys_merge_as_yaml_v3_merges_them_and_a_key_beside_them_wins(tmp_path):
    config = _config(tmp_path, "config:\n  base: &base {port: 8000, cpu: 256}\n"
                               "  svc:\n    <<: *base\n    port: 9000\n")
    assert json.loads(config["probe:svc"]) == {"port": 9000, "cpu": 256}


def test_two_merge_keys_in_one_mapping_are_refused_as_yaml_v3_refuses_them(tmp_path):
    assert "mapping key '<<' is already defined" in _error(
        tmp_path, "config:\n  a: &a {x: 1}\n  svc:\n    <<: *a\n    <<: *a\n")


@pytest.mark.parametrize("written, printed", [
    ("2026-12-31", "2026-12-31 00:00:00 +0000 UTC"),
    ("2026-1-5", "2026-01-05 00:00:00 +0000 UTC"),
    ("2026-01-02T03:04:05.250Z", "2026-01-02 03:04:05.25 +0000 UTC"),
    ("2026-01-02 03:04:05", "2026-01-02 03:04:05 +0000 UTC"),
    ("2026-01-02T03:04:05+02:00", None),  # Go names the zone after the machine's own: not foretold here
])
def test_a_timestamp_is_refused_with_the_text_the_cli_would_pass(written, printed, tmp_path):
    expected = (f"Pulumi.dev.yaml: tags.ReviewBy: {written} is a YAML timestamp, which the Pulumi CLI hands the "
                f"program as Go prints a time{f' ({printed})' if printed else ''}: quote it to pass it as written")
    assert _error(tmp_path, f"config:\n  tags:\n    ReviewBy: {written}\n") == expected


@pytest.mark.parametrize("written", ['"2026-12-31"', "2026-13-01", "2026-02-30", "2026-01-02T03:04:05",
                                    "2026-01-02 03:04:05Z", "12026-01-01", "2026-01-01x"])
def test_text_yaml_v3_does_not_read_as_a_time_passes_as_written(written, tmp_path):
    assert json.loads(_config(tmp_path, f"config:\n  tags:\n    ReviewBy: {written}\n")["probe:tags"]) == {
        "ReviewBy": written.strip('"')}
    assert not isinstance(_read_yaml(_program(tmp_path, f"v: {written}\n") / "Pulumi.dev.yaml")["v"], YamlTimestamp)


@pytest.mark.parametrize("written", [".inf", "-.Inf", ".nan"])
def test_infinity_and_nan_are_refused_as_the_clis_json_refuses_them(written, tmp_path):
    assert _error(tmp_path, f"config:\n  limits:\n    rate: {written}\n").startswith(
        "Pulumi.dev.yaml: limits.rate: ") and "has no JSON form" in _error(tmp_path, f"config:\n  r: {written}\n")
    assert _config(tmp_path, f"config:\n  r: '{written}'\n") == {"probe:r": written}


def test_a_key_and_its_project_prefixed_form_are_refused_the_cli_picks_either(tmp_path):
    assert _error(tmp_path, "config:\n  protect: true\n  probe:protect: false\n") == (
        "Pulumi.dev.yaml: config: protect and probe:protect are the same key (probe:protect); keep one")


def test_keys_are_parsed_as_the_clis_parse_key_parses_them(tmp_path):
    assert _config(tmp_path, "config:\n  aws:config:region: eu-west-1\n  probe:config:size: 3\n") == {
        "aws:region": "eu-west-1", "probe:size": "3"}
    assert _error(tmp_path, "config:\n  aws:assumeRole:roleArn: arn:aws:iam::111122223333:role/x\n") == (
        "Pulumi.dev.yaml: config: aws:assumeRole:roleArn is not a configuration key (the CLI reads "
        "<namespace>:<name>, and refuses the whole file)")


def test_a_utf16_stack_file_reads_as_its_utf8_twin_and_latin1_is_one_line(tmp_path):
    text = "config:\n  aws:region: us-east-1\n  owner: café\n"
    utf8 = _config(tmp_path, text)
    (tmp_path / "Pulumi.dev.yaml").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert load_stack_settings(tmp_path, "dev").config == utf8 == {"aws:region": "us-east-1", "probe:owner": "café"}
    (tmp_path / "Pulumi.dev.yaml").write_bytes(text.encode("latin-1"))
    with pytest.raises(ProgramError) as raised:
        load_stack_settings(tmp_path, "dev")
    assert str(raised.value) == ("Pulumi.dev.yaml: line 3: byte 0xe9 is not UTF-8, as Pulumi reads stack files (save "
                                 "it as UTF-8)")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  owner: a\x01b\n")
    with pytest.raises(ProgramError, match=r"^Pulumi\.dev\.yaml: line 2: control characters are not allowed "):
        load_stack_settings(tmp_path, "dev")


def test_project_config_fills_what_the_stack_file_leaves_out(tmp_path):
    project = (PROJECT + "config:\n  aws:region: eu-west-1\n  size: 2\n  protect:\n    type: boolean\n"
               "    default: true\n  tier:\n    type: string\n    value: gold\n")
    config = _config(tmp_path, "config:\n  probe:size: 5\n", project_text=project)
    assert config == {"aws:region": "eu-west-1", "probe:size": "5", "probe:protect": "true", "probe:tier": "gold"}


def test_a_declared_key_without_a_default_must_be_set_as_the_cli_requires(tmp_path, capsys):
    """pkg/workspace/config.go (mergeConfig): "Stack '<stack>' is missing configuration value(s) ...", all named,
    sorted; set by the stack file (with or without the project's prefix) or by --config, it is there."""
    project = PROJECT + "config:\n  probe:note:\n    type: string\n  size:\n    description: tasks\n"
    assert _error(tmp_path, "config:\n  size: 2\n", project_text=project) == (
        "Pulumi.dev.yaml: Stack 'dev' is missing configuration value 'probe:note', which Pulumi.yaml declares without "
        "a default: set it in Pulumi.dev.yaml or pass --config")
    assert _error(tmp_path, "config: {}\n", project_text=project).startswith(
        "Pulumi.dev.yaml: Stack 'dev' is missing configuration values 'probe:note' and 'size', which ")
    assert _config(tmp_path, "config:\n  note: n\n  probe:size: 2\n", project_text=project) == {
        "probe:note": "n", "probe:size": "2"}
    program = _program(tmp_path, "config:\n  size: 2\n", project_text=project)
    assert load_stack_settings(program, "dev", ["note=n"]).config == {"probe:note": "n", "probe:size": "2"}
    assert preview_cli.main(["--stack", "dev", "--cwd", str(program)]) == 2
    assert capsys.readouterr().err == (
        "error: Pulumi.dev.yaml: Stack 'dev' is missing configuration value 'probe:note', which Pulumi.yaml declares "
        "without a default: set it in Pulumi.dev.yaml or pass --config\n")



def test_a_declared_path_key_is_looked_up_checked_and_defaulted_by_path_as_the_cli_does(tmp_path):
    """mergeConfig and validateStackConfigValues look a declared key up with path=true (config.Map.Get): Pulumi.yaml's
    `mesh.dataPlane` is set by the stack's `mesh: {dataPlane: ...}`, its type is that value's, and its default is set
    there (config.Map.Set with path=true), read back as `pulumi config set --path` reads it."""
    project = PROJECT + "config:\n  mesh.dataPlane:\n    type: string\n  mesh.port:\n    type: integer\n"
    assert _config(tmp_path, "config:\n  probe:mesh:\n    dataPlane: envoy\n    port: 80\n",
                   project_text=project) == {"probe:mesh": '{"dataPlane": "envoy", "port": 80}'}
    assert _error(tmp_path, "config:\n  mesh: {dataPlane: envoy, port: many}\n", project_text=project) == (
        "Pulumi.dev.yaml: Stack 'dev' with configuration key 'mesh.port' must be of type 'integer', as Pulumi.yaml "
        "declares it, which the CLI refuses")
    assert _error(tmp_path, "config:\n  mesh: {port: 80}\n", project_text=project).startswith(
        "Pulumi.dev.yaml: Stack 'dev' is missing configuration value 'mesh.dataPlane', which ")
    defaulted = PROJECT + "config:\n  mesh.dataPlane:\n    default: envoy\n  mesh.port:\n    default: '8080'\n"
    assert _config(tmp_path, "config:\n  mesh: {domain: x.local}\n", project_text=defaulted) == {
        "probe:mesh": '{"domain": "x.local", "dataPlane": "envoy", "port": 8080}'}
    assert _config(tmp_path, "config: {}\n", project_text=defaulted) == {
        "probe:mesh": '{"dataPlane": "envoy", "port": 8080}'}
    secret = PROJECT + "config:\n  db.password:\n    type: string\n    secret: true\n"
    assert "'db.password' must be encrypted as it's secret" in _error(
        tmp_path, "config:\n  db: {password: hunter2}\n", project_text=secret)
    assert _config(tmp_path, "config:\n  db:\n    password:\n      secure: AAABAKx0cGxhY2Vob2xkZXI=\n",
                   project_text=secret) == {"probe:db": json.dumps({"password": SECRET_PLACEHOLDER})}

TYPED = (PROJECT + "config:\n  replicas:\n    type: integer\n    default: 2\n  debug:\n    type: boolean\n"
         "    default: false\n  name:\n    type: string\n    default: x\n  ports:\n    type: array\n"
         "    items:\n      type: integer\n    default: [80]\n")


@pytest.mark.parametrize("stack_text,key,type_name", [
    ("replicas: many", "replicas", "integer"),
    ("replicas: 1.5", "replicas", "integer"),
    ("debug: yes", "debug", "boolean"),
    ("name: {a: 1}", "name", "string"),
    ("ports: [80, http]", "ports", "array<integer>"),
    ("ports: 80", "ports", "array<integer>"),
])
def test_a_value_not_of_its_declared_type_is_refused_as_the_cli_refuses_the_stack(stack_text, key, type_name,
                                                                                    tmp_path):
    """pkg/workspace/config.go (validateStackConfigValue): "Stack '<stack>' with configuration key '<key>' must be
    of type '<type>'"."""
    assert _error(tmp_path, f"config:\n  {stack_text}\n", project_text=TYPED) == (
        f"Pulumi.dev.yaml: Stack 'dev' with configuration key '{key}' must be of type '{type_name}', as Pulumi.yaml "
        f"declares it, which the CLI refuses")


def test_values_of_their_declared_type_pass_as_the_cli_reads_them(tmp_path):
    """A scalar reaches the check as text: "3" is an integer, 5 a string; a secure value's plaintext is unknown."""
    stack_text = ("config:\n  replicas: '3'\n  debug: 'true'\n  name: 5\n  ports: [80, '443', 8e3]\n")
    assert _config(tmp_path, stack_text, project_text=TYPED) == {
        "probe:replicas": "3", "probe:debug": "true", "probe:name": "5", "probe:ports": "[80, \"443\", 8000]"}
    secure = "config:\n  replicas:\n    secure: AAABAKx0cGxhY2Vob2xkZXI=\n"
    assert _config(tmp_path, secure, project_text=TYPED)["probe:replicas"] == SECRET_PLACEHOLDER
    program = _program(tmp_path, "config: {}\n", project_text=TYPED)
    with pytest.raises(ProgramError, match=r"^Pulumi\.dev\.yaml with --config: Stack 'dev' with configuration key "
                                           r"'replicas' must be of type 'integer', "):
        load_stack_settings(program, "dev", ["replicas=many"])


def test_a_typed_secret_declaration_needs_a_secure_value_as_the_cli_requires(tmp_path):
    """validateStackConfigValue checks secrecy first, for typed keys only: "Stack '<stack>' with configuration key
    '<key>' must be encrypted as it's secret". A default from Pulumi.yaml is a plain value, so it fails too."""
    project = PROJECT + ("config:\n  dbPassword:\n    type: string\n    secret: true\n"
                         "  token:\n    secret: true\n")
    assert _error(tmp_path, "config:\n  dbPassword: hunter2\n  token: plain\n", project_text=project) == (
        "Pulumi.dev.yaml: Stack 'dev' with configuration key 'dbPassword' must be encrypted as it's secret, as "
        "Pulumi.yaml declares it, which the CLI refuses: set it with `pulumi config set --secret`")
    secure = "config:\n  dbPassword:\n    secure: AAABAKx0cGxhY2Vob2xkZXI=\n  token: plain\n"
    assert _config(tmp_path, secure, project_text=project)["probe:token"] == "plain"  # untyped: not checked
    defaulted = PROJECT + "config:\n  dbPassword:\n    type: string\n    secret: true\n    default: changeme\n"
    assert "'dbPassword' must be encrypted as it's secret" in _error(tmp_path, "config: {}\n", project_text=defaulted)


@pytest.mark.parametrize("declaration,message", [
    ("size:\n    type: integer\n    default: many", "size: the default is not of the declared type 'integer'"),
    ("size:\n    type: string\n    default: 5", "size: the default is not of the declared type 'string'"),
    ("ports:\n    type: array", "ports declares an array without the type of its items"),
    ("aws:region:\n    default: us-east-1", "aws:region: another namespace's key takes a `value` only"),
    ("aws:region:\n    type: string\n    value: us-east-1", "aws:region: another namespace's key takes a `value` "),
])
def test_a_declaration_the_cli_refuses_refuses_the_project(declaration, message, tmp_path):
    """The rest of workspace.Project.Validate: defaults of their type, typed array items, other namespaces' values."""
    assert _error(tmp_path, "config: {}\n", project_text=PROJECT + f"config:\n  {declaration}\n").startswith(
        f"Pulumi.yaml: config: {message}")


def test_a_declaration_with_both_a_value_and_a_default_is_refused_as_the_cli_refuses_the_project(tmp_path):
    """workspace.Project.Validate: "project config '<key>' cannot have both a 'default' and 'value' attribute"; a
    null one is none (Go's nil), and a field outside the declaration's schema refuses the project too."""
    project = PROJECT + "config:\n  region2:\n    value: eu\n    default: us\n"
    assert _error(tmp_path, "config: {}\n", project_text=project) == (
        "Pulumi.yaml: config: region2 has both a default and a value, which the CLI refuses (\"cannot have both a "
        "'default' and 'value' attribute\"); keep one")
    project = PROJECT + "config:\n  region2:\n    value: eu\n    default: null\n"
    assert _config(tmp_path, "config: {}\n", project_text=project) == {"probe:region2": "eu"}
    project = PROJECT + "config:\n  tags:\n    a: 1\n"
    assert _error(tmp_path, "config: {}\n", project_text=project) == (
        "Pulumi.yaml: config: tags: a is not a field of a config declaration (type, items, description, secret, "
        "default, value), so the CLI refuses the project")


_REFUSED_SECTIONS = [
    ("runtime:\n  name: python\n  foo: 1\n",
     "runtime: foo is not a property of runtime (name, options), so the CLI refuses the project"),
    ("runtime:\n  name: python\n  option:\n    toolchain: pip\n",
     "runtime: option is not a property of runtime (name, options), so the CLI refuses the project: did you mean "
     "options?"),
    ("runtime:\n  name: python\n  options: pip\n",
     "runtime.options: expected a mapping (the runtime's options), so the CLI refuses the project"),
    ("runtime: python\noptions:\n  refrsh: always\n",
     "options: refrsh is not a property of options (refresh), so the CLI refuses the project: did you mean refresh?"),
    ("runtime: python\noptions:\n  refresh: never\n",
     'options.refresh: "never" is not always, the only value the CLI takes (leave refresh out not to refresh first)'),
    ("runtime: python\noptions:\n  refresh: true\n",
     "options.refresh: true is not always, the only value the CLI takes (leave refresh out not to refresh first)"),
    ("runtime: python\noptions: always\n", "options: expected a mapping of refresh, so the CLI refuses the project"),
    ("runtime: python\nbackend:\n  url: file://~\n  secretsProvider: passphrase\n",
     "backend: secretsProvider is not a property of backend (url), so the CLI refuses the project"),
    ("runtime: python\nbackend:\n  url: 3\n", "backend.url: expected the backend's URL (text), so the CLI refuses the "
                                              "project"),
]
_TAKEN_SECTIONS = [
    "runtime:\n  name: python\n  options:\n    toolchain: pip\n    anything: 1\n",
    "runtime: python\noptions:\n  refresh: always\nbackend:\n  url: file://~\n",
    "runtime: python\noptions:\nbackend:\n",
]


def test_project_sections_the_cli_refuses_refuse_the_project(tmp_path):
    """As Pulumi's project schema (project.json) has them: `runtime` (as a mapping), `options` and `backend` take only
    their own properties, `options.refresh` only `always`, `runtime.options` any. A review found each refused one
    passed without a word (a misspelt option doing nothing)."""
    for sections, message in _REFUSED_SECTIONS:
        assert _error(tmp_path, "config: {}\n", project_text=f"name: probe\n{sections}") == f"Pulumi.yaml: {message}"
    for sections in _TAKEN_SECTIONS:
        assert _config(tmp_path, "config:\n  size: 4\n", project_text=f"name: probe\n{sections}") == {
            "probe:size": "4"}


def test_a_namespace_an_edit_from_the_projects_or_the_providers_is_refused_and_others_are_not(tmp_path):
    """Pulumi passes any namespace through, and nothing reads one that no package has: `awss:region`, `AWS:region` or
    a misspelt project did nothing without a word (a review found them). Other packages' namespaces are theirs."""
    assert _error(tmp_path, "config:\n  AWS:defaultTags:\n    tags: {Team: a}\n") == (
        "Pulumi.dev.yaml: AWS:defaultTags: AWS is not the aws provider's namespace (aws): did you mean "
        "aws:defaultTags?")
    assert _error(tmp_path, "config:\n  awss:region: us-east-1\n") == (
        "Pulumi.dev.yaml: awss:region: awss is not the aws provider's namespace (aws): did you mean aws:region?")
    assert _error(tmp_path, "config:\n  Probe:size: 4\n") == (
        "Pulumi.dev.yaml: Probe:size: Probe is not this project's namespace (probe): did you mean probe:size?")
    assert _error(tmp_path, "config: {}\n", "prbe:size=4") == (
        "Pulumi.dev.yaml with --config: prbe:size: prbe is not this project's namespace (probe): did you mean "
        "probe:size?")
    declared = PROJECT + "config:\n  Aws:region:\n    value: us-east-1\n"
    assert _error(tmp_path, "config: {}\n", project_text=declared) == (
        "Pulumi.yaml: Aws:region: Aws is not the aws provider's namespace (aws): did you mean aws:region?")
    others = "config:\n  awsx:setting: 1\n  tls:setting: 2\n  kubernetes:namespace: x\n  aws:region: us-east-1\n"
    assert _config(tmp_path, others) == {"awsx:setting": "1", "tls:setting": "2", "kubernetes:namespace": "x",
                                         "aws:region": "us-east-1"}


def test_stack_files_are_read_from_the_projects_stack_config_dir(tmp_path):
    program = _program(tmp_path, "config:\n  size: 4\n", project_text=PROJECT + "stackConfigDir: stacks\n",
                       stack_dir="stacks")
    assert load_stack_settings(program, "dev").config == {"probe:size": "4"}
    (program / "stacks" / "Pulumi.dev.yaml").write_text("config: [1]\n")
    with pytest.raises(ProgramError, match=r"^stacks/Pulumi\.dev\.yaml: config: expected a mapping$"):
        load_stack_settings(program, "dev")
    # Written absolute, it is still under the project's directory, as the CLI joins the two (and the program reads).
    (program / "stacks" / "Pulumi.dev.yaml").write_text("config:\n  size: 5\n")
    (program / "Pulumi.yaml").write_text(PROJECT + "stackConfigDir: /stacks\n")
    assert load_stack_settings(program, "dev").config == {"probe:size": "5"}
    assert stack_file_path(program, "Pulumi.dev.yaml") == program / "stacks" / "Pulumi.dev.yaml"
    (program / "stacks" / "Pulumi.dev.yaml").write_text("config: [1]\n")
    with pytest.raises(ProgramError, match=r"^stacks/Pulumi\.dev\.yaml: config: expected a mapping$"):
        load_stack_settings(program, "dev")


def test_tests_read_a_utf16_stack_file_as_the_cli_does(tmp_path):
    (tmp_path / "Pulumi.dev.yaml").write_bytes("config:\n  probe:size: 4\n  aws:region: eu-west-1\n".encode("utf-16"))
    assert stack_file_config(tmp_path / "Pulumi.dev.yaml", "probe") == ({"size": 4}, "eu-west-1")


def test_the_old_config_dir_form_names_the_stack_config_dir_as_the_cli_rewrites_it(tmp_path):
    """`config: <dir>` (text, not a mapping) is the old spelling of stackConfigDir
    (workspace.RewriteConfigPathIntoStackConfigDir); with both, the CLI refuses the project."""
    program = _program(tmp_path, "config:\n  size: 4\n", project_text=PROJECT + "config: stacks\n",
                       stack_dir="stacks")
    settings = load_stack_settings(program, "dev")
    assert settings.config == {"probe:size": "4"}
    (program / "stacks" / "Pulumi.dev.yaml").write_text("config: [1]\n")
    with pytest.raises(ProgramError, match=r"^stacks/Pulumi\.dev\.yaml: config: expected a mapping$"):
        load_stack_settings(program, "dev")
    (program / "Pulumi.yaml").write_text(PROJECT + "config: stacks\nstackConfigDir: stacks\n")
    with pytest.raises(ProgramError, match=r"^Pulumi\.yaml: config: stacks and stackConfigDir both name the stack "
                                           r"files' directory, which the CLI refuses; keep only stackConfigDir$"):
        load_stack_settings(program, "dev")


def test_a_fully_qualified_stack_name_reads_the_stacks_own_file(tmp_path):
    program = _program(tmp_path, "config:\n  size: 4\n")
    for name in ("dev", "acme/dev", "acme/probe/dev"):
        settings = load_stack_settings(program, name)
        assert (settings.stack, settings.stack_file, settings.config) == ("dev", "Pulumi.dev.yaml", {"probe:size": "4"})
    with pytest.raises(ProgramError, match=r"^--stack acme/other/dev: not a stack of project probe "):
        load_stack_settings(program, "acme/other/dev")


def test_esc_environments_are_said_to_be_unread_and_the_rest_previews(tmp_path, capsys):
    """The CLI merges the environments' pulumiConfig under the stack's values; offline they cannot be opened."""
    program = program_with_stack(tmp_path, "dev", lambda text: "environment:\n  - platform/dev-shared\n" + text)
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == [{
        "severity": "warning", "count": 1,
        "message": "Pulumi.dev.yaml imports Pulumi ESC environments (platform/dev-shared), which the offline preview "
                   "cannot open: settings they provide are missing (pass them with --config)"}]


    # With bad input, one line: the error, saying that the environments may hold what is missing.
    broken = program_with_stack(tmp_path / "broken", "dev", lambda text: "environment:\n  - platform/dev-shared\n"
                                + text.replace("      port: 8000\n", "      port: 70000\n", 1))
    assert preview_cli.main(["--stack", "dev", "--cwd", str(broken)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: Pulumi.dev.yaml: services[0].port: 70000 is not a port (1-65535) (the stack also imports Pulumi ESC "
        "environments, which the offline preview cannot open: pass what they provide with --config)"]


def test_a_declared_key_an_esc_environment_may_set_is_said_missing_not_refused(tmp_path, capsys):
    """mergeConfig merges the stack's ESC environments into its config before it collects the missing keys, so the
    CLI accepts the stack if an environment sets them; offline that cannot be known: the preview says which keys
    are unset and runs the program without them."""
    project = PROJECT + "config:\n  probe:note:\n    type: string\n  size:\n    description: tasks\n"
    program = _program(tmp_path, "environment: [platform/dev]\nconfig: {}\n", project_text=project)
    settings = load_stack_settings(program, "dev")
    assert settings.config == {}
    assert settings.warnings[1:] == [
        "Pulumi.dev.yaml: Stack 'dev' is missing configuration values 'probe:note' and 'size', which Pulumi.yaml "
        "declares without a default: the ESC environments it imports may set them, which the preview cannot read, so "
        "the program runs without them (pass them with --config)"]
    assert load_stack_settings(program, "dev", ["note=n", "size=2"]).warnings[1:] == []
    assert preview_cli.main(["--stack", "dev", "--cwd", str(program), "--json"]) == 0
    assert [diagnostic["message"] for diagnostic in json.loads(capsys.readouterr().out)["diagnostics"]] == (
        settings.warnings)

@pytest.mark.parametrize("block", [
    "environment:\n  - platform/dev-shared\n  - {team/dev: {merge: false}}\n",
    "environment:\n  imports:\n    - platform/dev-shared\n    - team/dev:\n        merge: false\n",
])
def test_esc_imports_in_either_form_are_named(block, tmp_path):
    """Environment.Imports (sdk/go/common/workspace/project.go): a list, or a definition with `imports:` whose
    entries are names or `{<name>: {merge: false}}`; inline `values:` are named too."""
    settings = load_stack_settings(_program(tmp_path, block + "config: {}\n"), "dev")
    assert settings.warnings[0].startswith("Pulumi.dev.yaml imports Pulumi ESC environments (platform/dev-shared, "
                                           "team/dev), which ")
    settings = load_stack_settings(_program(tmp_path, "environment:\n  values:\n    a: 1\nconfig: {}\n"), "dev")
    assert settings.warnings[0].startswith("Pulumi.dev.yaml imports Pulumi ESC environments (inline values), ")


def test_a_secure_environment_variable_and_plain_credentials_stop_the_preview_in_one_line(tmp_path, capsys):
    """The program writes environment values into the task definition as they are, and the stack file is in git:
    both were accepted (a bad-input review). The preview's placeholder note would be beside the point here."""
    def secure_variable(text: str) -> str:
        return text.replace("      externals: [payment-provider]\n", "      externals: [payment-provider]\n"
                            "      environment:\n        DB_PASSWORD:\n          secure: v1:abcdefgh:c2VjcmV0\n", 1)
    program = program_with_stack(tmp_path / "env", "dev", secure_variable)
    assert preview_cli.main(["--stack", "dev", "--cwd", str(program)]) == 2
    assert capsys.readouterr().err == (
        "error: Pulumi.dev.yaml: services[3].environment.DB_PASSWORD: is secure: in the stack file, but the platform "
        "writes it to AWS (and the stack's state) in plain text: keep the value in Secrets Manager or Parameter Store "
        "and name it in secrets, which ECS injects at start\n")
    program = program_with_stack(tmp_path / "key", "dev", lambda text: text.replace(
        "config:\n", "config:\n  aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", 1))
    assert preview_cli.main(["--stack", "dev", "--cwd", str(program)]) == 2
    assert capsys.readouterr().err == (
        "error: Pulumi.dev.yaml: aws:secretKey: is plain text in the stack file: set it with pulumi config set "
        "--secret, or leave credentials to the environment (AWS_SECRET_ACCESS_KEY)\n")


def test_the_preview_tells_a_refusal_of_a_secure_value_by_the_error_it_is_not_by_its_wording():
    """config's refusal of a value for being `secure:` says so as data (ConfigError.about_secrecy), which the preview
    reads as it reads `related`: that one gets no placeholder note (the test above runs it), and any other error at
    a secure: value does, whatever its text says."""
    error = ("Pulumi.dev.yaml: alarms.email: is secure: in the stack file, but the platform writes it to AWS (and the "
             "stack's state) in plain text: leave it plain if it is no secret")
    project = "service-mesh-platform"
    assert preview_cli._naming_the_secret(error, "Pulumi.dev.yaml", project, ["alarms"], about_secrecy=True) == error
    assert preview_cli._naming_the_secret(error, "Pulumi.dev.yaml", project, ["alarms"]) == (
        f"{error} (alarms is a secure: value, which the offline preview reads as {SECRET_PLACEHOLDER}; stand in for "
        f"it with --config)")


def test_an_error_under_a_secure_value_says_the_preview_reads_a_placeholder_and_an_override_stands_in(tmp_path,
                                                                                                        capsys):
    """`pulumi config set --secret alarms '{...}'` stores a whole section as ciphertext: the program gets its JSON
    text in a real run, the placeholder here."""
    program = program_with_stack(tmp_path, "dev", lambda text: text[:text.index("  service-mesh-platform:alarms:")]
                                 + "  service-mesh-platform:alarms:\n    secure: AAABAKx0cGxhY2Vob2xkZXI=\n")
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program)])
    assert (code, capsys.readouterr().err) == (
        2, f"error: Pulumi.dev.yaml: alarms: expected a mapping, got a string (alarms is a secure: value, which the "
           f"offline preview reads as {SECRET_PLACEHOLDER}; stand in for it with --config)\n")
    settings = load_stack_settings(program, "dev", ["alarms.email=ops@example.com"])
    assert json.loads(settings.config["service-mesh-platform:alarms"]) == {"email": "ops@example.com"}
    assert "service-mesh-platform:alarms" not in settings.secret_keys


def test_the_shipped_stack_files_read_as_before():
    """None of the shipped stack files uses what the CLI reads otherwise (a timestamp, a merge, a legacy key)."""
    for stack in ("dev", "prod", "prod-eu", "iot"):
        settings = load_stack_settings(ROOT, stack)
        assert settings.warnings == [] and settings.config["aws:region"]
        # The YAML as written, before anything resolves it: no merge key, no timestamp, no `<ns>:config:<key>`.
        nodes = [yaml.compose((ROOT / f"Pulumi.{stack}.yaml").read_text())]
        tags = set()
        while nodes:
            node = nodes.pop()
            tags.add(node.tag)
            if isinstance(node, yaml.MappingNode):
                nodes += [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                nodes += node.value
        assert not tags & {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:timestamp"}, stack
        top = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
        assert top["config"] and not [k for k in top["config"] if re.fullmatch(r"[^:]+:config:.+", k)], stack


def _settings(tmp_path: Path, stack_text: str, *overrides: str, project_text: str = PROJECT):
    return load_stack_settings(_program(tmp_path, stack_text, project_text=project_text), "dev", overrides)


SECURE = "{secure: AAABAKx0cGxhY2Vob2xkZXI=}"


def test_a_null_override_unsets_the_value_as_config_rm_path_does(tmp_path):
    """`--config KEY=null` is `pulumi config rm --path KEY` (config.Map.Remove): the key, a mapping's member or a
    list's item (the rest moving up) is gone, not null; then Pulumi.yaml's default fills it, or a key it declares
    without one is missing, as in a real run."""
    stack = "config:\n  size: 3\n  a: {b: 3, c: 4}\n  l: [x, y, z]\n"
    config = _settings(tmp_path, stack, "size=null", "a.b=null", "l[0]=null", "absent.x=null", "l[7]=null").config
    assert "probe:size" not in config and json.loads(config["probe:a"]) == {"c": 4}
    assert json.loads(config["probe:l"]) == ["y", "z"]
    defaults = PROJECT + "config:\n  size:\n    default: 8080\n  a.b:\n    default: 1\n"
    config = _settings(tmp_path, stack, "size=null", "a.b=null", project_text=defaults).config
    assert config["probe:size"] == "8080" and json.loads(config["probe:a"]) == {"b": 1, "c": 4}
    required = PROJECT + "config:\n  size:\n    type: integer\n"
    with pytest.raises(ProgramError, match="^Pulumi.dev.yaml: Stack 'dev' is missing configuration value 'size'"):
        _settings(tmp_path, stack, "size=null", project_text=required)
    # Removing a member that would leave `{secure: <text>}` is refused, as the CLI refuses it.
    with pytest.raises(ProgramError, match='single key "secure" are reserved'):
        _settings(tmp_path, "config:\n  a: {secure: x, b: 1}\n", "a.b=null")


def test_containers_on_a_path_are_made_as_object_set_makes_them(tmp_path):
    """object.Set: a missing or null container becomes a list of `index + 1` nulls or a mapping, an index one past
    a list's end appends, and a null item is descended into; a value that is no container is replaced only at the
    top (its COMPAT branch), deeper the CLI refuses it. Overrides and Pulumi.yaml defaults alike."""
    config = _settings(tmp_path, "config:\n  b: [p]\n  c: [null]\n  d: 5\n",
                       "a[1]=x", "b[1].k=x", "c[0].k=x", "d.k=x").config
    assert [json.loads(config[f"probe:{k}"]) for k in "abcd"] == [[None, "x"], ["p", {"k": "x"}], [{"k": "x"}],
                                                                  {"k": "x"}]
    project = PROJECT + "config:\n  a[1]:\n    default: x\n  b[1].k:\n    default: x\n  c[0].k:\n    default: x\n"
    config = _settings(tmp_path, "config:\n  b: [p]\n  c: [null]\n", project_text=project).config
    assert [json.loads(config[f"probe:{k}"]) for k in "abc"] == [[None, "x"], ["p", {"k": "x"}], [{"k": "x"}]]
    with pytest.raises(ProgramError, match=r"^--config a\.b\.c: a\.b in Pulumi\.dev\.yaml is the number 5, not a "
                                           r"mapping, which the CLI refuses$"):
        _settings(tmp_path, "config:\n  a: {b: 5}\n", "a.b.c=x")
    with pytest.raises(ProgramError, match=r"^--config b\[3\]: Pulumi\.dev\.yaml has no list item 3 there"):
        _settings(tmp_path, "config:\n  b: [p]\n", "b[3]=x")
    project = PROJECT + "config:\n  a.b.c:\n    default: x\n"
    with pytest.raises(ProgramError, match=r"^Pulumi\.yaml: config: a\.b\.c: a\.b in Pulumi\.dev\.yaml is the number"):
        _settings(tmp_path, "config:\n  a: {b: 5}\n", project_text=project)


def test_a_default_below_a_nested_secure_value_is_refused_as_the_cli_refuses_it(tmp_path):
    """object.Set reaches the ciphertext below the top and fails ("expected a map"): the preview says so rather
    than overwrite the secret with the default. At the top the CLI replaces it (COMPAT), and an override stands in
    for a secure value at any depth, as the README says."""
    project = PROJECT + "config:\n  a.b.c:\n    default: x\n"
    with pytest.raises(ProgramError, match=r"^Pulumi\.yaml: config: a\.b\.c: a\.b in Pulumi\.dev\.yaml is a secure: "
                                           r"value, which the CLI cannot set a key below"):
        _settings(tmp_path, f"config:\n  a:\n    b: {SECURE}\n", project_text=project)
    config = _settings(tmp_path, f"config:\n  a: {SECURE}\n",
                       project_text=PROJECT + "config:\n  a.b:\n    default: x\n").config
    assert json.loads(config["probe:a"]) == {"b": "x"}
    config = _settings(tmp_path, f"config:\n  a:\n    b: {SECURE}\n", "a.b.c=y", project_text=project).config
    assert json.loads(config["probe:a"]) == {"b": {"c": "y"}}


@pytest.mark.parametrize("declared, named", [
    ("size:\n    type: integer\n  probe:size:\n    default: 1\n", "size and probe:size are the same key (probe:size)"),
    ("aws:region: eu-west-1\n  aws:config:region: us-east-1\n",
     "aws:region and aws:config:region are the same key (aws:region)")])
def test_two_declarations_of_one_key_are_refused_naming_both(declared, named, tmp_path):
    """`size` and `probe:size` name one key: the CLI checks and defaults each in turn, so which one holds is hard
    to foresee; the preview refuses them, as it refuses one key written twice in the stack file."""
    with pytest.raises(ProgramError) as raised:
        _settings(tmp_path, "config: {}\n", project_text=PROJECT + "config:\n  " + declared)
    assert str(raised.value) == f"Pulumi.yaml: config: {named}; keep one"


def test_a_required_key_visited_before_a_default_sets_it_is_missing_as_merge_config_judges(tmp_path):
    """mergeConfig visits the declarations sorted as written: `mesh.port` comes before `probe:mesh`, whose
    default would set it, so the CLI names it missing; a key after the default that sets it is found."""
    project = PROJECT + "config:\n  mesh.port:\n    type: integer\n  probe:mesh:\n    default: {port: 1}\n"
    with pytest.raises(ProgramError, match=r"^Pulumi\.dev\.yaml: Stack 'dev' is missing configuration value "
                                           r"'mesh\.port', which Pulumi\.yaml declares without a default"):
        _settings(tmp_path, "config: {}\n", project_text=project)
    project = PROJECT + "config:\n  zone.port:\n    type: integer\n  probe:zone:\n    default: {port: 1}\n"
    assert json.loads(_settings(tmp_path, "config: {}\n", project_text=project).config["probe:zone"]) == {"port": 1}


def _bomb(levels: int, width: int) -> str:
    """Each level an anchored list of `width` aliases of the one before: `width ** levels` values once expanded."""
    lines = ["config:", f"  l0: &l0 [{', '.join(['x'] * width)}]"]
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _yaml_v3_refuses(text: str) -> bool:
    """yaml.v3's decoder on the event stream, expanding every alias as it does (d.unmarshal, d.alias): each node and
    each alias counts a decode, and each decode under an alias an alias decode."""
    events = list(yaml.parse(text))
    anchored: dict[str, tuple[int, int]] = {}  # anchor: the events of its node, [start, end)
    counts = {"decodes": 0, "aliases": 0}

    def ratio(decodes: int) -> float:
        return 0.99 if decodes <= 400_000 else 0.10 if decodes >= 4_000_000 else \
            0.99 - 0.89 * (decodes - 400_000) / 3_600_000

    def decode(index: int, depth: int) -> int:  # the index after the node's events
        counts["decodes"] += 1
        counts["aliases"] += depth > 0
        if counts["aliases"] > 100 and counts["decodes"] > 1000 and \
                counts["aliases"] / counts["decodes"] > ratio(counts["decodes"]):
            raise OverflowError
        event = events[index]
        if type(event).__name__ == "AliasEvent":
            start, _ = anchored[event.anchor]
            decode(start, depth + 1)
            return index + 1
        end = index + 1
        if type(event).__name__ in ("SequenceStartEvent", "MappingStartEvent"):
            while type(events[end]).__name__ not in ("SequenceEndEvent", "MappingEndEvent"):
                end = decode(end, depth)
            end += 1
        if getattr(event, "anchor", None):
            anchored[event.anchor] = (index, end)
        return end

    try:
        decode(2, 0)  # after the stream and document starts
    except OverflowError:
        return True
    return False


def _flat(value) -> int:
    return sum(map(_flat, value)) if isinstance(value, list) else 1


@pytest.mark.parametrize("levels, width, refused", [
    (1, 100, False), (1, 2000, True), (2, 10, False), (2, 20, True), (3, 6, False), (3, 8, True), (4, 4, False),
    (4, 5, True), (5, 3, False), (5, 4, True),
    (9, 10, True),  # 10^10 values: this ran the preview for minutes
])
def test_aliases_expand_until_yaml_v3_would_refuse_the_document(levels, width, refused, tmp_path):
    text = _bomb(levels, width)
    assert _yaml_v3_refuses(text) is refused  # the cases are on both sides of yaml.v3's line
    if refused:
        assert re.fullmatch(r"Pulumi\.dev\.yaml: line \d+ is not valid YAML \(document contains excessive aliasing, "
                            r"which the Pulumi CLI refuses: the value anchored here is repeated too often\)",
                            _error(tmp_path, text))
    else:
        assert _flat(json.loads(_config(tmp_path, text)[f"probe:l{levels}"])) == width ** (levels + 1)


def test_an_anchor_whose_value_holds_itself_is_refused(tmp_path):
    # It failed as "the program failed: RecursionError", naming neither file nor key.
    assert _error(tmp_path, "config:\n  a: 1\n  protect: &p [x, *p]\n") == (
        "Pulumi.dev.yaml: line 3 is not valid YAML (the value anchored here holds an alias of itself, which the Pulumi "
        "CLI refuses)")


def _nested(depth: int, inner: str) -> str:
    return "[" * depth + inner + "]" * depth


def test_nesting_that_aliases_add_up_to_counts_as_deep(tmp_path):
    # Each level alone was shallow enough, and the copies of the expanded value ran out of Python's recursion.
    chain = "config:\n  l0: &l0 " + _nested(45, "x") + "\n  l1: &l1 " + _nested(45, "*l0") + "\n"
    assert _error(tmp_path, chain + "  l2: " + _nested(45, "*l1") + "\n") == (  # l1's value, aliased in too deep
        "Pulumi.dev.yaml: line 3: nests more than 100 levels deep; no setting of this program is nested that deep")
    assert _flat(json.loads(_config(tmp_path, chain)["probe:l1"])) == 1  # 93 levels: taken


def test_a_value_nested_deeper_than_any_setting_is_refused(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    assert _error(tmp_path, f"config:\n  a: 1\n  deep: {deep}\n") == (
        "Pulumi.dev.yaml: line 3: nests more than 100 levels deep; no setting of this program is nested that deep")
    assert json.loads(_config(tmp_path, "config:\n  deep: " + "[" * 97 + "]" * 97 + "\n")["probe:deep"]) == \
        functools.reduce(lambda inner, _: [inner], range(96), [])


@pytest.mark.parametrize("setting, message", [
    # The aws provider refuses a key it does not know and fails to configure on a value of the wrong type; each of
    # these was ignored, `aws:regoin` silently leaving the region unset.
    ("aws:regoin: us-west-2", "Pulumi.dev.yaml: aws:regoin: not a setting of the aws provider (did you mean "
                              "aws:region?)"),
    ("aws:foo: 1", "Pulumi.dev.yaml: aws:foo: not a setting of the aws provider"),
    ("aws:maxRetries: abc", "Pulumi.dev.yaml: aws:maxRetries: 'abc' is not an integer"),
    ("aws:skipCredentialsValidation: maybe",
     "Pulumi.dev.yaml: aws:skipCredentialsValidation: 'maybe' is not a boolean (true or false)"),
    # The bridge reads a typed setting's text as JSON, not as Python's SDK reads it.
    ("aws:insecure: 'True'", "Pulumi.dev.yaml: aws:insecure: 'True' is not a boolean (true or false)"),
    ("aws:maxRetries: '+007'", "Pulumi.dev.yaml: aws:maxRetries: '+007' is not an integer"),
    # An account list's entry that is no account id matches no account: the provider would refuse every one.
    ("aws:allowedAccountIds: ['12']", "Pulumi.dev.yaml: aws:allowedAccountIds: '12' is not an AWS account id (12 "
                                      "digits, quoted: YAML drops a leading 0 from a number)"),
    ("aws:forbiddenAccountIds: [012345678901]", "Pulumi.dev.yaml: aws:forbiddenAccountIds: 12345678901 is not an "
                                                "AWS account id (12 digits, quoted: YAML drops a leading 0 from a "
                                                "number)"),
])
def test_the_aws_providers_settings_are_ones_it_takes(setting, message, tmp_path):
    assert _error(tmp_path, f"config:\n  aws:region: us-east-1\n  {setting}\n") == message


def test_a_provider_setting_from_pulumi_yaml_is_named_there(tmp_path):
    project = PROJECT + "config:\n  aws:maxRetries:\n    value: abc\n"
    assert _error(tmp_path, "config:\n  aws:region: us-east-1\n", project_text=project) == (
        "Pulumi.yaml: aws:maxRetries: 'abc' is not an integer")
    # The stack file's value unset by --config: Pulumi.yaml's fills in, and is its.
    assert _error(tmp_path, "config:\n  aws:region: us-east-1\n  aws:maxRetries: 3\n", "aws:maxRetries=null",
                  project_text=project) == "Pulumi.yaml: aws:maxRetries: 'abc' is not an integer"


def test_the_aws_providers_known_settings_pass(tmp_path):
    config = _config(tmp_path, "config:\n  aws:region: us-east-1\n  aws:maxRetries: 5\n"
                               "  aws:skipMetadataApiCheck: true\n  aws:defaultTags:\n    tags: {Team: platform}\n")
    assert (config["aws:maxRetries"], config["aws:skipMetadataApiCheck"]) == ("5", "true")
    # An empty value is the zero value to the bridge; a secret's text is not there to read.
    assert _config(tmp_path, "config:\n  aws:region: us-east-1\n  aws:insecure: ''\n  aws:maxRetries:\n"
                             "    secure: AAABAHcx\n")["aws:insecure"] == ""
    assert json.loads(config["aws:defaultTags"]) == {"tags": {"Team": "platform"}}
    accounts = _config(tmp_path, "config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: ['012345678901', "
                                 "111122223333]\n")
    assert json.loads(accounts["aws:allowedAccountIds"]) == ["012345678901", 111122223333]


@pytest.mark.parametrize("stack", ["prod", "prod-eu", "iot"])
def test_every_production_stack_file_wakes_a_pager(stack):
    """The paging topic's SEV1 and SEV2 alarms (docs/incident-response.md) reach a pager, not only an inbox: iot's
    stack file had no `alarmPagerEndpoint`, so devices cut off paged by e-mail alone. dev pages by e-mail (README)."""
    # A secure: value, which the preview reads as the placeholder (a plain one is a config error).
    assert load_stack_settings(ROOT, stack).config["service-mesh-platform:alarmPagerEndpoint"] == SECRET_PLACEHOLDER


def test_no_two_shipped_stacks_share_an_environment_in_a_region_or_a_host_name():
    """The shipped stacks share one account: two in one region with one `environment` would make the same fixed names
    (the `<env>-mesh` cluster, `/<env>/...` log groups, alarms), and two with one host name the same record in the
    zone, whatever their regions; only the REST API's domain is shared across regions, behind the global layer's
    latency records (prod and prod-eu). A stack copied from another without its own (README, "Adding a stack")
    fails here."""
    # The names a global layer's latency records route to several regions.
    routed = {yaml.safe_load(path.read_text())["config"]["service-mesh-platform-global:domain"]
              for path in (ROOT / "global").glob("Pulumi.*.yaml")}
    claims: dict[tuple[str, str, str], list[str]] = {}
    for path in sorted(ROOT.glob("Pulumi.*.yaml")):
        stack = path.stem.split(".", 1)[1]
        region = yaml.safe_load(path.read_text())["config"]["aws:region"]
        config = parse_config(raw_config(stack), path.name, region)
        hosts = [config.ingress.host_name if config.ingress else None,
                 config.api.domain.name if config.api.domain else None,
                 config.websocket_api.domain.name if config.websocket_api and config.websocket_api.domain else None]
        for where, kind, value in [(region, "environment", config.environment),
                                   *((region if host in routed else "any region", "host", host) for host in hosts)]:
            if value is not None:
                claims.setdefault((where, kind, value), []).append(stack)
    assert {claim: stacks for claim, stacks in claims.items() if len(stacks) > 1} == {}
    assert {stacks[0] for (_, kind, _), stacks in claims.items() if kind == "environment"} >= {
        "dev", "prod", "prod-eu", "iot"}
