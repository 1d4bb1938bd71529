"""WebSocket connection routes: keeps one item per device with its current connection id.

    $connect     PutItem {tenantId, deviceId, connectionId, callbackUrl, connectedAt, expiresAt}, unless the item
                 names a connection API Gateway opened later (a write delayed past the device's next $connect):
                 that one keeps the item, and this one is refused
    $disconnect  DeleteItem, only if the item still names this connection (a device that reconnected
                 before the old connection's disconnect arrived keeps its new item)
    ack          UpdateItem lastAckCommandId/lastAckAt on the device's item, only for its own connection;
                 answers {"ack": <commandId>, "recorded": true|false} on the connection (a route response)

($default, where keep-alives land, is answered by API Gateway itself: no function runs for it.)

Items are keyed by tenant and device: device ids are unique within a tenant, not across tenants. The
command service reads `connectionId` and `callbackUrl` by (tenantId, deviceId) and posts to
`<callbackUrl>/@connections/<connectionId>`. `expiresAt` is the table's TTL attribute: API Gateway closes
every WebSocket connection after at most two hours, so an item whose `$disconnect` (best effort) was lost expires
by itself. TTL deletes in the background, typically within days, and reads return expired items until then: a
reader treats an item past its `expiresAt` as absent (lambdas/README.md).

Environment: CONNECTIONS_TABLE, and AWS_REGION (Lambda sets it). Only the standard library and the runtime's boto3
(imported lazily).
"""
from __future__ import annotations

import json
import os
import re
import time
from typing import Any, Callable, Mapping, Optional

# API Gateway's maximum WebSocket connection duration, plus slack for TTL's own delay.
MAX_CONNECTION_SECONDS = 2 * 60 * 60
TTL_SLACK_SECONDS = 15 * 60
COMMAND_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # whole string (fullmatch): `$` would let a newline end it


class ConditionFailed(Exception):
    """The conditional write did not apply (the device's item names another connection)."""


def _response(status: int, body: Optional[dict] = None) -> dict:
    return {"statusCode": status, "body": json.dumps(body or {})}


def _identity(event: Mapping[str, Any]) -> tuple[str, str, str]:
    context = event.get("requestContext") or {}
    authorizer = context.get("authorizer") or {}
    return context.get("connectionId", ""), authorizer.get("deviceId", ""), authorizer.get("tenantId", "")


def callback_url(event: Mapping[str, Any]) -> str:
    """Where the connection's @connections API is: the API's execute-api host and the stage the device connected to.
    Not the host the device used: through a custom domain (`websocketApi.domain`) `domainName` is that domain, where
    the mapping, not the stage, starts the path, and the command service's egress allows only execute-api hosts.
    The program runs in the aws partition alone (config refuses others), hence amazonaws.com."""
    context = event.get("requestContext") or {}
    host = f"{context.get('apiId', '')}.execute-api.{os.environ['AWS_REGION']}.amazonaws.com"
    return f"https://{host}/{context.get('stage', '')}"


def _key(tenant: str, device: str) -> dict:
    return {"tenantId": {"S": tenant}, "deviceId": {"S": device}}


class ConnectionStore:
    """The connection table through an injected low-level DynamoDB client (`boto3.client("dynamodb")`)."""

    def __init__(self, client: Any, table: str, condition_failed: type[BaseException] = ConditionFailed):
        self._client, self._table, self._condition_failed = client, table, condition_failed

    def put(self, tenant: str, device: str, connection: str, callback: str, connected_at_ms: int, now: int) -> bool:
        """Store the device's connection; False where the item names one opened later (`connectedAt`: when API
        Gateway opened it, in ms; items written in seconds compare as older)."""
        try:
            self._client.put_item(TableName=self._table, Item={
                **_key(tenant, device),
                "connectionId": {"S": connection},
                "callbackUrl": {"S": callback},
                "connectedAt": {"N": str(connected_at_ms)},
                "expiresAt": {"N": str(now + MAX_CONNECTION_SECONDS + TTL_SLACK_SECONDS)},
            }, ConditionExpression="attribute_not_exists(connectionId) OR connectedAt <= :t",
                ExpressionAttributeValues={":t": {"N": str(connected_at_ms)}})
        except self._condition_failed:
            return False
        return True

    def delete(self, tenant: str, device: str, connection: str) -> bool:
        try:
            self._client.delete_item(TableName=self._table, Key=_key(tenant, device),
                                     ConditionExpression="connectionId = :c",
                                     ExpressionAttributeValues={":c": {"S": connection}})
        except self._condition_failed:
            return False
        return True

    def record_ack(self, tenant: str, device: str, connection: str, command_id: str, now: int) -> bool:
        try:
            self._client.update_item(TableName=self._table, Key=_key(tenant, device),
                                     UpdateExpression="SET lastAckCommandId = :a, lastAckAt = :t",
                                     ConditionExpression="connectionId = :c",
                                     ExpressionAttributeValues={":a": {"S": command_id}, ":t": {"N": str(now)},
                                                                ":c": {"S": connection}})
        except self._condition_failed:
            return False
        return True


def route(event: Mapping[str, Any], store: ConnectionStore, now: int,
          log: Callable[[str], None] = print) -> dict:
    """Handle one WebSocket event by its route key."""
    route_key = (event.get("requestContext") or {}).get("routeKey")
    connection, device, tenant = _identity(event)
    if not (connection and device and tenant):
        # Every route runs after the $connect authorizer, which always sets both.
        log(json.dumps({"route": route_key, "error": "no authorizer context", "connectionId": connection}))
        return _response(403, {"message": "Forbidden"})
    if route_key == "$connect":
        # API Gateway's time of the connection (ms); a test event without it counts as opened now.
        opened = (event.get("requestContext") or {}).get("connectedAt") or now * 1000
        if not store.put(tenant, device, connection, callback_url(event), int(opened), now):
            log(json.dumps({"route": route_key, "tenantId": tenant, "deviceId": device,
                            "note": "a newer connection of the device holds its item; this one is refused"}))
            return _response(409, {"message": "a newer connection of this device is open"})
        return _response(200)
    if route_key == "$disconnect":
        if not store.delete(tenant, device, connection):
            log(json.dumps({"route": route_key, "tenantId": tenant, "deviceId": device,
                            "note": "device already reconnected; newer connection kept"}))
        return _response(200)
    if route_key == "ack":
        try:
            body = json.loads(event.get("body") or "{}")
        except (ValueError, RecursionError):  # not JSON, a number too long to read, or nested too deep
            body = None
        command_id = body.get("commandId") if isinstance(body, dict) else None
        if not isinstance(command_id, str) or not COMMAND_ID_RE.fullmatch(command_id):
            return _response(400, {"message": "ack needs a commandId"})
        # The body goes back to the device (the route has a response), naming the ack it answers.
        if not store.record_ack(tenant, device, connection, command_id, now):
            return _response(409, {"ack": command_id, "recorded": False,
                                   "message": "this connection is no longer the device's current one"})
        return _response(200, {"ack": command_id, "recorded": True})
    # Only the routes above integrate with this function.
    log(json.dumps({"route": route_key, "error": "no such route here", "connectionId": connection}))
    return _response(400, {"message": f"route {route_key} is not handled here"})


_STORE: Optional[ConnectionStore] = None


def handler(event: Mapping[str, Any], context: Any) -> dict:
    global _STORE
    if _STORE is None:
        import boto3  # in the Lambda runtime; imported here so the module loads without it
        from botocore.config import Config

        # Short timeouts and one retry (about 4 s at worst, within the function's 10 s with a cold start): a stalled
        # DynamoDB fails a route fast (a $connect refused, which the device retries) instead of holding reserved
        # concurrency to the timeout.
        client = boto3.client("dynamodb", config=Config(
            connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 2, "mode": "standard"}))
        _STORE = ConnectionStore(client, os.environ["CONNECTIONS_TABLE"],
                                 client.exceptions.ConditionalCheckFailedException)
    return route(event, _STORE, int(time.time()))
