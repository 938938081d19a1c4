"""The account's domain types as the screens and widgets see them: periods, usage and account
models, the masked key, typed errors, and the one-line text rule for untrusted strings.

They are defined in `api` (decoded where they arrive); `ui` takes them from here, so that the
only arrows from the Textual face go through `core` (the import-linter contract "Screens and
widgets reach data through core" in pyproject.toml). Names only: nothing is defined here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from venice_tui.api.account import ApiKeyInfo, Balance
from venice_tui.api.errors import AuthError, BadRequestError, PaymentRequiredError, VeniceError
from venice_tui.api.models import DailySeries, ModelUsage, UsageAnalytics
from venice_tui.api.period import (
    MAX_DAYS,
    MAX_PERIOD_DAYS,
    PRESET_DAYS,
    Clock,
    Period,
    PeriodError,
    utc_now,
)
from venice_tui.api.secret import ApiKey
from venice_tui.api.text import one_line

if TYPE_CHECKING:
    # For annotations only: importing the client would load httpx.
    from venice_tui.api.client import VeniceClient as VeniceClient

__all__ = [
    "MAX_DAYS",
    "MAX_PERIOD_DAYS",
    "PRESET_DAYS",
    "ApiKey",
    "ApiKeyInfo",
    "AuthError",
    "BadRequestError",
    "Balance",
    "Clock",
    "DailySeries",
    "ModelUsage",
    "PaymentRequiredError",
    "Period",
    "PeriodError",
    "UsageAnalytics",
    "VeniceError",
    "one_line",
    "utc_now",
]
