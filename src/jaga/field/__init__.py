"""Field offices that work offline (`jaga field`): a device's node (local database, device key, outbox of
signed, hash-chained events) and the server's side (enrolment, batches verified and applied through
the registry's own use cases, the conflict queue).

Imports the registry's public names, access and db; never web or command-line code (`api` and `cli` are
the adapters and are not imported here).
"""

from jaga.field.batch import BatchFile, parse_batch, render_batch
from jaga.field.chain import SignedEvent, sign_event, uuid7
from jaga.field.conflicts import (
    ConflictDetail,
    ConflictView,
    conflict_offices,
    conflict_view,
    list_conflicts,
    read_conflict,
    resolve_conflict,
)
from jaga.field.devices import DeviceView, describe_devices
from jaga.field.models import FieldConflict, FieldDevice, FieldDeviceChange, FieldEvent, OutboxItem
from jaga.field.node import FIELD_KINDS, Node, NodeInfo, init_node, open_node
from jaga.field.services import BatchReport, enrol_device, list_devices, receive_batch, revoke_device

__all__ = [
    "FIELD_KINDS",
    "BatchFile",
    "BatchReport",
    "ConflictDetail",
    "ConflictView",
    "DeviceView",
    "FieldConflict",
    "FieldDevice",
    "FieldDeviceChange",
    "FieldEvent",
    "Node",
    "NodeInfo",
    "OutboxItem",
    "SignedEvent",
    "conflict_offices",
    "conflict_view",
    "describe_devices",
    "enrol_device",
    "init_node",
    "list_conflicts",
    "list_devices",
    "open_node",
    "parse_batch",
    "read_conflict",
    "receive_batch",
    "render_batch",
    "resolve_conflict",
    "revoke_device",
    "sign_event",
    "uuid7",
]
