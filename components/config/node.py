"""Reading raw stack-file values with their key paths: every error names the stack file and the key."""
from __future__ import annotations

import contextlib
import difflib
import math
import re
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence

from .model import ConfigError, Throttle
from .values import _RETENTION_DAYS, other_partition_problem


# No name, host, path, ARN or header value holds a control character (a line break, a tab, NUL), and a pattern's `$`
# matches before a trailing newline: without this, "dev\n" would pass ^[a-z][a-z0-9]{1,15}$ and reach resource names.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

# How alike an unknown key and a setting must be to call the one a misspelling of the other (difflib's ratio): a
# letter missing or added in a key of four letters or more, one wrong or two swapped in a key of seven or more. The
# nearest two sibling settings (fiveXxRatePercent and fourXxRatePercent, 0.82) are further apart: tests/test_config.py
# holds them so.
MISSPELT_RATIO = 0.85


def near_spelling(name: Any, names: Iterable[Any]) -> Optional[Any]:
    """The one of `names` that `name` is a near spelling of (MISSPELT_RATIO), in any case: `Tiers` or `websocketAPI`
    is as near `tiers` or `websocketApi` as a letter transposed. None where none is."""
    lowered = {str(n).lower(): n for n in sorted(names, key=str)}
    close = difflib.get_close_matches(str(name).lower(), sorted(lowered), n=1, cutoff=MISSPELT_RATIO)
    return lowered[close[0]] if close else None


def did_you_mean(meant: Optional[Any]) -> str:
    """The hint an error ends with: ` (did you mean <meant>?)`, or nothing."""
    return f" (did you mean {meant}?)" if meant is not None else ""


def _matches(pattern: re.Pattern, value: str) -> bool:
    return pattern.match(value) is not None and not _CONTROL_RE.search(value)


def _key(key: Any) -> str:
    """A key as a message's key path shows it: quoted when it is empty, has spaces around it or a character that does
    not print (a line break), so the message stays one line and the key can be told apart."""
    text = str(key)
    return text if text and text == text.strip() and text.isprintable() else repr(text)


def _type_name(value: Any) -> str:
    if value == "":
        return "nothing"  # `key:` with no value reaches the program as an empty string
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a mapping", type(None): "null"}.get(type(value), type(value).__name__)


def _not_a_string(value: Any) -> str:
    """The error for a value that should be text: a number says how to keep one as text (an account id, a cost
    centre), which YAML and `pulumi config set --path` otherwise read as a number."""
    hint = (" (quote it in the stack file, or set it with pulumi config set --path --type string)"
            if type(value) in (int, float) else "")
    return f"expected a string, got {_type_name(value)}{hint}"


class ConfigNode:
    """A raw mapping plus where it sits in the stack file; records which keys were read."""

    def __init__(self, fail: Callable[..., ConfigError], path: str, value: Any,
                 plain_paths: frozenset[str] = frozenset(), secure_paths: frozenset[str] = frozenset()):
        """`plain_paths` and `secure_paths`: the paths whose values the stack file holds in plain text and as
        `secure:` (the program gets every value decrypted; `plain_text_paths` and `secure_paths` read them from the
        file). `secret_str` refuses the first; every other reader refuses a value of the second, which it would
        write to AWS, and to the stack's state, as it is."""
        self._fail = fail
        self.path = path
        self._plain_paths = plain_paths
        self._secure_paths = secure_paths
        if not isinstance(value, Mapping):
            raise fail(path, f"expected a mapping, got {_type_name(value)}")
        self._raw = value
        self._read: set[str] = set()
        self._absent: set[str] = set()  # settings asked for and not there
        self._children: list[ConfigNode] = []
        self._keyed_by_name = False

    def key_path(self, key: str) -> str:
        return f"{self.path}.{_key(key)}" if self.path else _key(key)

    def error(self, key: str, problem: str, related: Sequence[str] = ()) -> ConfigError:
        return self._fail(self.key_path(key), problem, related)

    def refused_by(self, key: str, problem: str, *switches: str) -> ConfigError:
        """An error at `key`, a setting refused because of sibling `switches` (one that is off, a type it is not
        for): they are its related keys, where an override may have turned one."""
        return self.error(key, problem, related=[self.key_path(switch) for switch in switches])

    def same_partition(self, key: str, arn: Optional[str], refusal: Optional[str] = None) -> None:
        """Refuse `key`'s ARN if it is another partition's than the stack's (`other_partition_problem`)."""
        if arn and (problem := other_partition_problem(arn, refusal)) is not None:
            raise self.error(key, problem)

    def error_at(self, path: str, problem: str, related: Sequence[str] = ()) -> ConfigError:
        """An error at a path this node's keys do not spell alone (a list item, a map entry, the node itself)."""
        return self._fail(path, problem, related)

    def has(self, key: str) -> bool:
        return key in self._raw

    def keys(self) -> list[str]:
        return [str(key) for key in self._raw]

    def raw(self, key: str, required: bool) -> Any:
        self._read.add(key)
        if key not in self._raw and not self._keyed_by_name:
            self._absent.add(key)
        if key not in self._raw or self._raw[key] is None:
            if required:
                raise self.error(key, "is required")
            return None
        return self._raw[key]

    def _not_secure(self, path: str, hint: str = "") -> None:
        """Refuse a value the stack file holds as `secure:` that its reader writes to AWS as it is: encrypting it in
        git while every describe call and the stack's state show it would be a false comfort."""
        if path in self._secure_paths:
            raise self._fail(path, "is secure: in the stack file, but the platform writes it to AWS (and the stack's "
                                   "state) in plain text" + (hint or ": leave it plain if it is no secret"),
                             about_secrecy=True)

    def str(self, key: str, default: Optional[str] = None, *, required: bool = False, choices: Iterable[str] = (),
            pattern: Optional[re.Pattern] = None, what: str = "", secret: bool = False) -> Optional[str]:
        value = self.raw(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(key, _not_a_string(value))
        if not secret:
            self._not_secure(self.key_path(key))
        choices = tuple(choices)
        if choices and value not in choices:
            raise self.error(key, f"{value!r} is not one of {', '.join(choices)}")
        if pattern is not None and not _matches(pattern, value):
            raise self.error(key, f"{value!r} is not {what or 'valid'}")
        return value

    def int(self, key: str, default: Optional[int] = None, *, required: bool = False,
            minimum: Optional[int] = None, maximum: Optional[int] = None, what: str = "") -> Optional[int]:
        value = self.raw(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected an integer, got {_type_name(value)}")
        self._not_secure(self.key_path(key))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if what:
                raise self.error(key, f"{value} is not {what}")
            if maximum is None:
                raise self.error(key, f"{value} is less than {minimum}")
            raise self.error(key, f"{value} is out of range ({minimum}-{maximum})")
        return value

    def number(self, key: str, default: Optional[float] = None, *, required: bool = False,
               minimum: float = 0, maximum: Optional[float] = None) -> Optional[float]:
        value = self.raw(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(key, f"expected a number, got {_type_name(value)}")
        self._not_secure(self.key_path(key))
        if not math.isfinite(value):  # YAML's .nan and .inf: every comparison below would let NaN through
            raise self.error(key, f"{value} is not a finite number")
        if value < minimum:
            raise self.error(key, f"{value} must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise self.error(key, f"{value} must be at most {maximum}")
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.raw(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_type_name(value)}")
        self._not_secure(self.key_path(key))
        return value

    def secret_str(self, key: str) -> Optional[str]:
        """A string that must not sit in git: refused where the stack file holds it, or a value above it (a whole
        section set as one JSON string), in plain text. An empty one holds nothing to keep (`key:` for none)."""
        value, path = self.str(key, secret=True), self.key_path(key)
        if value and any(path == plain or path.startswith((f"{plain}.", f"{plain}["))
                                     for plain in self._plain_paths):
            raise self.error(key, "is plain text in the stack file: set it with pulumi config set --secret --path, "
                                  "which stores it encrypted (secure:)")
        return value

    def node(self, key: str, *, required: bool = False) -> Optional["ConfigNode"]:
        value = self.raw(key, required)
        return None if value is None else self._child(self.key_path(key), value)

    def keyed_by_name(self) -> "ConfigNode":
        """This mapping's keys are names the stack file chose (tenants), not settings: one of them missing is never
        what another, not yet read, was meant to spell (`site2` for `site1`)."""
        self._keyed_by_name = True
        return self

    def _child(self, path: str, value: Any) -> "ConfigNode":
        child = ConfigNode(self._fail, path, value, self._plain_paths, self._secure_paths)
        self._children.append(child)
        return child

    def list(self, key: str, *, required: bool = False) -> list[tuple[str, Any]]:
        """The items of a list with their key paths, e.g. ("services[2]", {...})."""
        value = self.raw(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {_type_name(value)}")
        return [(f"{self.key_path(key)}[{i}]", item) for i, item in enumerate(value)]

    def nodes(self, key: str, *, required: bool = False) -> list["ConfigNode"]:
        return [self._child(path, item) for path, item in self.list(key, required=required)]

    def strings(self, key: str, *, pattern: Optional[re.Pattern] = None, what: str = "",
                unique: bool = False) -> tuple[str, ...]:
        out = []
        for path, item in self.list(key):
            if not isinstance(item, str):
                raise self._fail(path, _not_a_string(item))
            self._not_secure(path)
            if pattern is not None and not _matches(pattern, item):
                raise self._fail(path, f"{item!r} is not {what or 'valid'}")
            if unique and item in out:
                raise self._fail(path, f"{item!r} is listed twice")
            out.append(item)
        return tuple(out)

    def string_map(self, key: str, secure_hint: str = "") -> dict[str, str]:
        """A mapping of strings; `secure_hint` says where a value the stack file holds as `secure:` belongs."""
        value = self.raw(key, False)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.error(key, f"expected a mapping, got {_type_name(value)}")
        for k, v in value.items():
            if not isinstance(v, str):
                raise self._fail(f"{self.key_path(key)}.{_key(k)}", _not_a_string(v))
            self._not_secure(f"{self.key_path(key)}.{_key(k)}", secure_hint)
        return dict(value)

    def done(self) -> None:
        """Reject keys nobody read: they are typos or settings this version does not know."""
        for key in self._raw:
            if key not in self._read:
                # Any setting read here may be the one meant: `--config mesh.dataplane=...` beside the file's
                # `dataPlane` too.
                raise self._unknown(key, self._meant(key, among=self._read | self._absent))

    def _meant(self, key: Any, among: Optional[set[str]] = None) -> Optional[str]:
        """The setting asked for here and not found (or any of `among`) that `key` is a near spelling of, if any."""
        return near_spelling(key, self._absent if among is None else among)

    def _unknown(self, key: Any, meant: Optional[str]) -> ConfigError:
        return self.error(key, "is not a known setting" + did_you_mean(meant))

    def misspelt(self) -> Optional[ConfigError]:
        """The first key here or below that nobody read and that is a near spelling of a setting asked for at the same
        place and not found: the likelier cause of whatever error the parse stopped at (a setting that seems missing,
        a rule between two settings that reads one as unset)."""
        for key in self._raw:
            meant = self._meant(key) if key not in self._read else None
            if meant is not None:
                return self._unknown(key, meant)
        return next((found for found in map(ConfigNode.misspelt, self._children) if found is not None), None)

    @contextlib.contextmanager
    def misspellings_first(self) -> Iterator[None]:
        """Parse under this node; an error it raises gives way to a misspelt key (`misspelt`), which it may follow
        from: `publicPaht` otherwise reads as "queryParameters only applies to a public service"."""
        try:
            yield
        except ConfigError as error:
            misspelt = self.misspelt()
            if misspelt is None:
                raise
            raise misspelt from error


# Readers more than one section uses: a log group's retention, an API Gateway throttle.
def _check_log_retention(node: ConfigNode, key: str, days: int) -> None:
    """A log group's retention (`retention_in_days`) must be one of the periods CloudWatch Logs accepts."""
    if days not in _RETENTION_DAYS:
        raise node.error(key, f"{days} is not a CloudWatch Logs retention period")


def _throttle(node: ConfigNode) -> Throttle:
    throttle = Throttle(rate_limit=node.number("rateLimit", required=True, minimum=1),
                        burst_limit=node.int("burstLimit", required=True, minimum=1, maximum=10000))
    node.done()
    return throttle
