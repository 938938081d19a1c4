"""What the demo answers: a status, a body, headers, and a socket-level act if any."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    #: Socket-level misbehaviour the server acts out: "truncated" or "hang".
    action: str | None = None


def json_reply(status: int, payload: dict[str, Any]) -> Reply:
    return Reply(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})
