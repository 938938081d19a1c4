"""Response bodies used across tests: the published example and the live variant from NOTES.md."""

from __future__ import annotations

import json
from typing import Any

PUBLISHED_EXAMPLE: dict[str, Any] = {
    "lookback": "7d",
    "byDate": [
        {"date": "2024-01-15T00:00:00.000Z", "USD": 0.5, "DIEM": 10.25},
        {"date": "2024-01-14T00:00:00.000Z", "USD": 0.3, "DIEM": 8.75},
    ],
    "byModel": [
        {
            "modelName": "GLM 5.1",
            "unitType": "tokens",
            "modelType": "LLM",
            "totalUsd": 0.4,
            "totalDiem": 12.5,
            "totalUnits": 50000,
            "breakdown": [
                {"type": "Output", "usd": 0.3, "diem": 10, "units": 35000},
                {"type": "Input", "usd": 0.1, "diem": 2.5, "units": 15000},
            ],
        }
    ],
    "byModelDaily": [{"date": 1705276800000, "GLM 5.1": 5.5, "Kimi K2.6": 3.2}],
    "topModels": ["GLM 5.1", "Kimi K2.6"],
    "byKey": [
        {
            "apiKeyId": "key_abc123",
            "description": "Production Key",
            "totalUsd": 0.8,
            "totalDiem": 15,
            "totalUnits": 75000,
        },
        {
            "apiKeyId": None,
            "description": "Web App",
            "totalUsd": 0,
            "totalDiem": 4,
            "totalUnits": 25000,
        },
    ],
    "byKeyDaily": [{"date": 1705276800000, "Production Key": 8.5, "Web App": 2}],
    "topKeyNames": ["Production Key", "Web App"],
}


def live_variant() -> dict[str, Any]:
    """As NOTES.md describes the live service: ascending plain dates, a gap, numeric strings,
    `*DailyUsd` arrays, a trailing `Other`, duplicate key descriptions, unknown fields."""
    return {
        "lookback": "3d",
        "byDate": [
            {"date": "2026-11-23", "USD": "1.25", "DIEM": 2},
            {"date": "2026-11-25", "USD": 0.75, "DIEM": "0.5"},
        ],
        "byModel": [
            {
                "modelName": "Kimi K2.6",
                "unitType": "tokens",
                "modelType": "LLM",
                "totalUsd": 1.5,
                "totalDiem": 2.0,
                "totalUnits": 1200000,
                "extra": True,
            },
            {
                "modelName": "Qwen Image",
                "unitType": "images",
                "modelType": None,
                "totalUsd": "0.5",
                "totalDiem": 0.5,
                "totalUnits": "12",
            },
        ],
        "byModelDaily": [
            {"date": 1795392000000, "Kimi K2.6": 3.0, "Other": 0.25},
            {"date": 1795564800000, "Kimi K2.6": 0.5, "Other": 0.75},
        ],
        "byModelDailyUsd": [
            {"date": 1795392000000, "Kimi K2.6": 1.0, "Other": 0.25},
            {"date": 1795564800000, "Kimi K2.6": 0.5, "Other": 0.25},
        ],
        "topModels": ["Kimi K2.6", "Other"],
        "byKey": [
            {
                "apiKeyId": "aaaaaaaa-1111",
                "description": "Staging",
                "totalUsd": 1,
                "totalDiem": 1,
                "totalUnits": 10,
            },
            {
                "apiKeyId": "bbbbbbbb-2222",
                "description": "Staging",
                "totalUsd": 0.5,
                "totalDiem": 1,
                "totalUnits": 5,
            },
            {
                "apiKeyId": "cccccccc-3333",
                "description": "",
                "totalUsd": 0.25,
                "totalDiem": 0,
                "totalUnits": 1,
            },
            {
                "apiKeyId": None,
                "description": "Web App",
                "totalUsd": 0.25,
                "totalDiem": 0.5,
                "totalUnits": 3,
            },
        ],
        "byKeyDaily": [{"date": "2026-11-23", "Staging": 2.0}],
        "topKeyNames": ["Staging"],
        "newBetaField": {"anything": [1, 2, 3]},
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()
