"""Reading App Mesh specs shared by virtual nodes and virtual gateways: listeners, mTLS blocks, access logs."""
from __future__ import annotations

from typing import Any, Iterator

from ..core.props import as_list, dig, has_any, is_false, is_map, is_set, num


def listener_label(listener: Any, index: int) -> str:
    protocol = dig(listener, "portMapping", "protocol")
    port = dig(listener, "portMapping", "port")
    if protocol is None and port is None:
        return f"listener[{index}]"
    return f"listener[{index}] ({protocol}:{num(port)})"


def listeners(props: Any) -> Iterator[tuple[str, Any]]:
    """(label, listener) for each `spec.listeners[]` entry; the label names protocol and port."""
    for i, listener in enumerate(as_list(dig(props, "spec", "listeners"))):
        yield listener_label(listener, i), listener


def has_access_log_path(spec: Any) -> bool:
    return is_set(dig(spec, "logging", "accessLog", "file"), "path")


def listener_tls_problems(tls: Any, where: str) -> list[str]:
    """Server side of mTLS: mode STRICT, a certificate, and validation.trust for client certs."""
    if not is_map(tls):
        return [f"{where} has no tls block; set tls.mode = STRICT with a certificate and validation.trust"]
    problems = []
    mode = tls.get("mode")
    if mode != "STRICT":
        problems.append(f"{where} tls.mode is {mode or 'unset'}; it must be STRICT")
    if not has_any(tls.get("certificate"), "acm", "file", "sds"):
        problems.append(f"{where} tls has no certificate (acm, file or sds)")
    if not has_any(dig(tls, "validation", "trust"), "acm", "file", "sds"):
        problems.append(f"{where} tls has no validation.trust, so client certificates are not required (no mutual TLS)")
    return problems


def client_tls_problems(client_policy: Any, where: str) -> list[str]:
    """Client side of mTLS: clientPolicy.tls enforced, with a client certificate and validation.trust.

    `enforce` defaults to true in App Mesh (and in the provider's schema), so only an explicit false
    is a violation: the engine fills the default in, mocks do not.
    """
    tls = dig(client_policy, "tls")
    if not is_map(tls):
        return [f"{where} has no clientPolicy.tls; set enforce = true with a certificate and validation.trust"]
    problems = []
    if is_false(tls.get("enforce")):
        problems.append(f"{where} clientPolicy.tls.enforce is false")
    if not has_any(tls.get("certificate"), "file", "sds"):
        problems.append(f"{where} clientPolicy.tls has no client certificate (file or sds), so it cannot do mutual TLS")
    if not has_any(dig(tls, "validation", "trust"), "acm", "file", "sds"):
        problems.append(f"{where} clientPolicy.tls has no validation.trust")
    return problems


def access_log_problems(props: Any) -> list[str]:
    if has_access_log_path(dig(props, "spec")):
        return []
    return ["spec.logging.accessLog.file.path is not set; Envoy access logs are needed for audit and debugging."]


def listener_health_check_problems(props: Any) -> list[str]:
    return [f"{label} has no healthCheck" for label, listener in listeners(props)
            if not is_map(dig(listener, "healthCheck"))]
