"""Reading Network Firewall rules: where a rule lets traffic go, in Suricata text (`rulesString`, the provider's
`rules`), 5-tuple `statefulRules` and stateless rules.

Suricata is read as far as the header (action, protocol, source, source port, direction, destination, destination
port) and the options in order: which buffer each `content` or `pcre` matches, and what anchors it. A line that does
not read as one rule is not judged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from ..core.addresses import internet_cidrs
from ..core.props import UNKNOWN, is_map, peek, peek_items

# The buffers that hold the name a connection is for: sticky buffers (dotted names and their older underscore
# spellings), whose `content` options after them match the name; and the older content modifiers, which put the
# `content` before them on that buffer. A pass rule with a content on one of them (not negated) is the allow-list's
# kind of rule, pinned to names; content on the payload or another buffer (http.uri) pins none.
HOST_BUFFERS = frozenset({"tls.sni", "tls_sni", "http.host", "http.host.raw", "dns.query", "dns_query"})
_HOST_MODIFIERS = {"http_host": "http.host", "http_raw_host": "http.host.raw"}
_LEGACY_STICKY = frozenset({"tls_sni", "dns_query", "file_data", "pkt_data"})
_HEX = re.compile(r"\|([0-9a-fA-F ]*)\|")
# A pcre that spells one name held at both ends: letters, digits, `-` and escaped dots between `^` and `$`, case
# folded (`i`) or not. Any other pcre may match names beyond the ones it seems to write (`/^(api\.example\.com|.+)$/`).
# `isdataat:!1,relative`: no byte after the content before it, which so ends the buffer (Suricata's endswith is
# shorthand for it, as startswith is for a depth of the content's length at offset 0).
_END_OF_BUFFER = re.compile(r"!\s*1\s*,\s*relative")
_LITERAL_NAME = re.compile(r'(?P<quote>"?)/\^(?P<name>(?:[A-Za-z0-9-]|\\\.)+)\$/i?(?P=quote)')


@dataclass(frozen=True)
class HostMatch:
    """A `content` a rule matches a connection's name with (a TLS SNI, an HTTP Host, a DNS query), or a pcre that
    spells one name (`/^api\\.example\\.com$/`, read as that content with startswith and endswith)."""

    buffer: str
    value: str       # lower case: names are
    starts: bool     # `startswith`
    ends: bool       # `endswith`
    dotprefix: bool  # `dotprefix` on the buffer: a "." before the name, so ".example.com" ends example.com too

    def named(self) -> Optional[str]:
        """The one host (`api.example.com`), or the domain with every name under it (`.example.com`), the content
        holds the rule to; None where it matches names beyond the value: a substring (`api.example.com` is in
        `api.example.com.evil.net`), a prefix, or a suffix without its dot (`evilexample.com` ends in
        `example.com`)."""
        if self.starts and self.ends:
            return self.value[1:] if self.dotprefix and self.value.startswith(".") else self.value
        if self.ends and self.value.startswith("."):
            return self.value
        return None

    def how(self) -> str:
        """The names beyond the value it matches, for a finding."""
        if self.ends:
            return f"any name ending in it, such as evil{self.value}"
        if self.starts:
            return f"any name beginning with it, such as {self.value}.evil.example"
        return f"any name holding it, such as {self.value}.evil.example"

# `flags:S` matches TCP SYNs alone, whatever the header's protocol. `flow:not_established` is a handshake only over
# TCP (and the application protocols AWS's stateful rules carry on it: the StatefulRuleProtocol enum's): for UDP and
# IP, Suricata counts a flow established only once traffic has gone both ways, so such a pass lets each flow's first
# packets out.
_TCP_PROTOCOLS = frozenset({"tcp", "tls", "http", "http2", "ssh", "ftp", "smtp", "imap", "smb", "msn"})


@dataclass(frozen=True)
class Rule:
    """One stateful rule, as Suricata reads it."""

    action: str
    header: str
    source: str
    destination: str
    both_ways: bool  # `<>` (a 5-tuple Direction ANY): the rule also matches traffic from destination to source
    sid: Optional[str]
    # `flow:not_established` (or `flags:S`) on TCP: AWS's strict-order pattern passes the TCP handshake so that a later
    # rule can read the SNI; the connection's traffic is still judged by the rules after it.
    handshake_only: bool = False
    hosts: tuple[HostMatch, ...] = ()  # its contents on a name's buffer, not negated
    host_patterns: tuple[str, ...] = ()  # its other pcre options on a name's buffer (not read further)
    # `aws_route_53_resolved_domain`'s domains: the destination is an address Route 53 Resolver gave for one of them
    resolved: tuple[str, ...] = ()
    unread: bool = False               # a 5-tuple option unknown until the update: it may pin the rule to anything

    def to_anywhere(self, variables: dict[str, tuple[str, ...]]) -> bool:
        """A pass rule (not the TCP handshake alone) whose destination may be any host on the internet."""
        ends = (self.destination, self.source) if self.both_ways else (self.destination,)
        return (self.action.lower() == "pass" and not self.handshake_only
                and any(is_everywhere(end, variables) for end in ends))


def _split(items: str) -> list[str]:
    """A Suricata address list's items (`[a, ![b, c]]`), split at its top-level commas."""
    parts, depth, current = [], 0, ""
    for char in items:
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in parts + [current] if p.strip()]


def is_everywhere(address: str, variables: dict[str, tuple[str, ...]]) -> bool:
    """Whether a Suricata address (or a 5-tuple header's) includes every internet host: any (the header's ANY), the
    whole IPv4 or IPv6 space however written, a variable that holds one ($EXTERNAL_NET unless the group defines it
    otherwise), a negation of something else (`!$HOME_NET` is everything outside it), or a list with one of these or
    whose blocks, its variables' too, add up to the internet (`[0.0.0.0/1,128.0.0.0/1]`)."""
    address = address.strip()
    if address.startswith("!"):
        return not is_everywhere(address[1:], variables)
    if address.startswith("[") and address.endswith("]"):
        items = _split(address[1:-1])
        blocks = [block for item in items if not item.startswith("!") for block in _blocks(item, variables)]
        return any(is_everywhere(item, variables) for item in items) or bool(internet_cidrs(blocks))
    if address.startswith("$"):
        name = address[1:]
        if name not in variables:
            return name == "EXTERNAL_NET"
        return bool(internet_cidrs(variables[name]))
    return address.lower() == "any" or bool(internet_cidrs([address]))


def _blocks(item: str, variables: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The CIDRs a list item stands for: itself, or a variable's definitions."""
    return variables.get(item[1:], ()) if item.startswith("$") else (item,)


def variables(group: Any) -> dict[str, tuple[str, ...]]:
    """The rule group's IP set variables (`ruleGroup.ruleVariables.ipSets`), each with its known definitions (an
    unknown one counts as none: an unknown value is never a violation)."""
    found = {}
    for entry in peek_items(group, "ruleVariables", "ipSets"):
        key = peek(entry, "key") if is_map(entry) else None
        if isinstance(key, str):
            found[key] = tuple(d.strip() for d in peek_items(entry, "ipSet", "definitions") if isinstance(d, str))
    return found


def _option_list(options: str) -> list[tuple[str, str]]:
    """A rule's options in order, as (keyword in lower case, setting): `msg:"a;b"; tls.sni; content:"x";` gives
    msg, tls.sni and content. A `;` inside quotes, or escaped, is the setting's."""
    items, current, quoted, escaped = [], "", False, False
    for char in options:
        if escaped or char == "\\":
            escaped = not escaped
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            items.append(current)
            current = ""
            continue
        current += char
    found = []
    for item in [*items, current]:
        keyword, _, setting = item.partition(":")
        if keyword.strip():
            found.append((keyword.strip().lower(), setting.strip()))
    return found


def _content(setting: str) -> tuple[bool, str]:
    """A content option's setting as (negated, text in lower case): `!"a\\;b|2e|c"` is negated `a;b.c`."""
    negated = setting.startswith("!")
    text = setting.lstrip("!").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return negated, re.sub(r"\\(.)", r"\1", _HEX.sub(_bytes, text)).lower()


def _bytes(found: re.Match) -> str:
    """A content's `|2e 2e|` as the bytes it stands for (as written where it is not hex)."""
    try:
        return bytes.fromhex(found.group(1)).decode("latin-1")
    except ValueError:
        return found.group(0)


def _hosts(options: list[tuple[str, str]]) -> tuple[tuple[HostMatch, ...], tuple[str, ...]]:
    """The contents a rule matches names with (not negated), a pcre spelling one name among them, and its other pcre
    options on a name's buffer. A content is anchored at its start by startswith or a depth of its own length (at
    offset 0), at its end by endswith or `isdataat:!1,relative`, and at both by a bsize of its length."""
    buffer, dotprefix, contents, patterns, sizes = "", False, [], [], {}
    for keyword, setting in options:
        if keyword == "content":
            negated, text = _content(setting)
            contents.append({"buffer": buffer, "value": text, "negated": negated, "starts": False, "ends": False,
                             "dotprefix": dotprefix})
        elif keyword in ("startswith", "endswith") and contents:
            contents[-1]["starts" if keyword == "startswith" else "ends"] = True
        elif keyword == "dotprefix":
            dotprefix = True
        elif keyword == "bsize" and setting.strip().isdigit():
            sizes[buffer] = int(setting)
        elif keyword in ("depth", "offset") and setting.strip().isdigit() and contents:
            contents[-1][keyword] = int(setting)
        elif keyword == "isdataat" and _END_OF_BUFFER.fullmatch(setting.strip()) and contents:
            contents[-1]["ends"] = True
        elif keyword.startswith("http_") and not setting and contents:  # a modifier of the content before it
            contents[-1]["buffer"] = _HOST_MODIFIERS.get(keyword, keyword)
        elif keyword == "pcre" and buffer in HOST_BUFFERS:
            literal = _LITERAL_NAME.fullmatch(setting.strip())
            if literal is None:
                patterns.append(setting)
            else:
                contents.append({"buffer": buffer, "value": literal.group("name").replace("\\.", ".").lower(),
                                 "negated": False, "starts": True, "ends": True, "dotprefix": dotprefix})
        elif not setting and ("." in keyword or keyword in _LEGACY_STICKY):  # a sticky buffer
            buffer, dotprefix = keyword, False
    hosts = []
    for c in contents:
        if c["buffer"] in HOST_BUFFERS and not c["negated"]:
            whole = sizes.get(c["buffer"]) == len(c["value"])
            first = c.get("depth") == len(c["value"]) and not c.get("offset")
            hosts.append(HostMatch(c["buffer"], c["value"], c["starts"] or whole or first, c["ends"] or whole,
                                   c["dotprefix"]))
    return tuple(hosts), tuple(patterns)


def _resolved(options: list[tuple[str, str]]) -> tuple[str, ...]:
    """The domains of a rule's `aws_route_53_resolved_domain` options (`"example.com,cdn.example.com"`, lower case):
    Network Firewall matches a connection whose destination address Route 53 Resolver returned for one of them."""
    domains = []
    for keyword, setting in options:
        if keyword == "aws_route_53_resolved_domain" and not setting.startswith("!"):  # a negation pins nothing
            domains += [domain.strip().strip('"').strip().lower() for domain in setting.split(",")]
    return tuple(domain for domain in domains if domain)


def anchored_pattern(setting: str) -> bool:
    """Whether a pcre (`"/^api\\.example\\.com$/i"`) is held at both ends of the name."""
    body = setting.strip().strip('"')
    body = body[1:body.rfind("/")] if body.startswith("/") and body.count("/") >= 2 else body
    return body.startswith("^") and body.endswith("$") and not body.endswith("\\$")


def _header(line: str) -> Optional[tuple[list[str], str]]:
    """A rule line's seven header words (a bracketed address or port list is one word, spaces and all) and its
    options, or None where the line is not one rule."""
    words, depth, current = [], 0, ""
    for at, char in enumerate(line):
        if char == "(" and depth == 0:
            options = line[at + 1:].rstrip()
            if len(words) + bool(current) != 7 or not options.endswith(")"):
                return None
            return words + ([current] if current else []), options[:-1]
        depth += (char == "[") - (char == "]")
        if char.isspace() and depth == 0:
            if current:
                words.append(current)
            current = ""
        else:
            current += char
    return None


def suricata(text: str) -> Iterator[Rule]:
    """The rules of a Suricata rules string: one a line (a line ending in a backslash goes on), `#` comments."""
    for line in re.sub(r"\\\r?\n", " ", text).splitlines():
        read = _header(line.strip())
        if read is None or read[0][4] not in ("->", "<>"):
            continue
        (action, protocol, source, _, direction, destination, _), options = read
        listed = _option_list(options)
        hosts, patterns = _hosts(listed)
        yield Rule(action=action, header=" ".join(read[0]), source=source, destination=destination,
                   both_ways=direction == "<>",
                   sid=next((setting for keyword, setting in listed if keyword == "sid" and setting.isdigit()), None),
                   handshake_only=_handshake_only(protocol, [(k, [setting]) for k, setting in listed]), hosts=hosts,
                   host_patterns=patterns, resolved=_resolved(listed))


def _word(value: Any) -> str:
    return value if isinstance(value, str) else "(unknown)" if value is UNKNOWN else "(none)"


def stateful_rule(rule: Any) -> Optional[Rule]:
    """A 5-tuple `statefulRules` entry as a Rule, or None where its action or addresses are not known strings."""
    action, header = peek(rule, "action"), peek(rule, "header")
    fields = {k: peek(header, k) for k in ("protocol", "source", "sourcePort", "direction", "destination",
                                          "destinationPort")} if is_map(header) else {}
    if not isinstance(action, str) or not all(isinstance(fields.get(k), str) for k in ("source", "destination")):
        return None
    options = _options(peek_items(rule, "ruleOptions"))
    sid = next((s for keyword, settings in options if keyword == "sid" for s in settings if isinstance(s, str)),
               None)
    both_ways = fields.get("direction") == "ANY"  # the 5-tuple's `<>`
    words = [action, *(_word(fields.get(k)) for k in ("protocol", "source", "sourcePort")),
             "<>" if both_ways else "->", *(_word(fields.get(k)) for k in ("destination", "destinationPort"))]
    listed = [(k, ",".join(s for s in settings if isinstance(s, str))) for k, settings in options if isinstance(k, str)]
    hosts, patterns = _hosts(listed)
    return Rule(action=action, header=" ".join(words), source=fields["source"], destination=fields["destination"],
                both_ways=both_ways, sid=sid, handshake_only=_handshake_only(fields.get("protocol"), options),
                hosts=hosts, host_patterns=patterns, resolved=_resolved(listed),
                unread=any(k is UNKNOWN or UNKNOWN in settings for k, settings in options))


def _options(items: list) -> list[tuple[Any, list]]:
    """A 5-tuple rule's `ruleOptions` as (keyword in lower case, settings), UNKNOWN where unknown. A keyword may
    hold the whole option (`sid:1`, as AWS's own examples write it): what follows its first colon is a setting."""
    options = []
    for option in items:
        keyword = peek(option, "keyword") if is_map(option) else UNKNOWN
        settings = peek_items(option, "settings") if is_map(option) else []
        if isinstance(keyword, str):
            keyword, colon, rest = keyword.partition(":")
            keyword, settings = keyword.strip().lower(), [rest.strip(), *settings] if colon else settings
        options.append((keyword, settings))
    return options


def _handshake_only(protocol: Any, options: list[tuple[Any, list]]) -> bool:
    """Whether a rule passes the TCP handshake alone, by its keywords and settings read one by one (a setting is
    the option's text, so a `msg` holding `;flow:not_established` is a message, as Suricata reads it). Where an
    unknown may make it so, it counts as one: an unknown value is never a violation."""
    syn = not_established = unsure = False
    for keyword, settings in options:
        if keyword is UNKNOWN:
            unsure = True
        elif keyword in ("flags", "flow"):
            unsure = unsure or UNKNOWN in settings
            words = [w.strip() for s in settings if isinstance(s, str) for w in s.split(",")]
            syn = syn or (keyword == "flags" and words == ["S"])
            not_established = not_established or (keyword == "flow" and "not_established" in words)
    tcp = protocol is UNKNOWN or (isinstance(protocol, str) and protocol.lower() in _TCP_PROTOCOLS)
    return syn or unsure or (not_established and tcp)


def stateless_to_internet(definition: Any) -> Optional[list[str]]:
    """The destinations of a stateless rule's `matchAttributes` that include every internet host, alone or together
    (`0.0.0.0/1` and `128.0.0.0/1`; none given is any), or None when they are not known."""
    destinations = peek_items(definition, "matchAttributes", "destinations")
    addresses = [peek(d, "addressDefinition") if is_map(d) else d for d in destinations]
    if UNKNOWN in addresses:
        return None
    if not addresses:
        return ["any (no destinations)"]
    return internet_cidrs(a.strip() for a in addresses if isinstance(a, str))
