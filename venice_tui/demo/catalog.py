"""The demo account's models and API keys: real Venice model families, unit types and prices."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class TokenPart:
    """One token type of an LLM's bill: its share of the model's cost and its price per 1M."""

    type: str
    cost_share: float
    usd_per_million: float


@dataclass(frozen=True, slots=True)
class DemoModel:
    name: str
    model_type: str
    unit_type: str
    #: Typical spend on a weekday, USD + DIEM.
    daily_spend: float
    #: USD per unit for single-part models (per image, per second, per char…).
    unit_price: float = 0.0
    parts: tuple[TokenPart, ...] = ()
    #: Days before today on which the account started using the model (None: always).
    adopted_days_ago: int | None = None
    #: How much of the weekday rhythm the model follows (0: flat, 1: idle at weekends).
    weekday_bias: float = 0.6


def _llm(
    name: str,
    daily: float,
    input_price: float,
    output_price: float,
    cache: bool = True,
    **extra: object,
) -> DemoModel:
    parts = [
        TokenPart("Input", 0.34, input_price),
        TokenPart("Output", 0.54, output_price),
    ]
    if cache:
        parts += [
            TokenPart("Cache Read", 0.08, input_price / 10),
            TokenPart("Cache Write", 0.04, input_price * 1.25),
        ]
    return DemoModel(name, "LLM", "tokens", daily, parts=tuple(parts), **extra)  # type: ignore[arg-type]


STANDARD_MODELS: tuple[DemoModel, ...] = (
    _llm("GLM 5.1", 6.40, 0.90, 3.00),
    _llm("Qwen 3 Coder 480B", 4.10, 0.75, 3.00, weekday_bias=0.8),
    _llm("Kimi K2.6", 2.70, 0.70, 2.80, adopted_days_ago=24),
    _llm("DeepSeek V3.2", 1.90, 0.40, 1.00),
    _llm("Venice Uncensored", 1.20, 0.20, 0.90, cache=False, weekday_bias=0.1),
    _llm("Llama 3.3 70B", 0.85, 0.70, 2.80, cache=False),
    _llm("Mistral Small 3.1", 0.30, 0.50, 2.00, cache=False),
    DemoModel("Qwen Image", "IMAGE", "images", 1.60, unit_price=0.04, weekday_bias=0.2),
    DemoModel("Flux 2 Pro", "IMAGE", "images", 0.90, unit_price=0.09, weekday_bias=0.3),
    DemoModel("Kokoro TTS", "TTS", "chars", 0.42, unit_price=3.5e-6),
    DemoModel("Whisper Large V3", "ASR", "minutes", 0.28, unit_price=0.006),
    DemoModel("Wan 2.5 Video", "VIDEO", "seconds", 0.65, unit_price=0.25, weekday_bias=0.1),
)


@dataclass(frozen=True, slots=True)
class KeyLimit:
    usd: float | None = None
    diem: float | None = None
    #: EPOCH (UTC day), MONTH or LIFETIME.
    period: str = "MONTH"
    #: Set the limit this many times the key's use over its whole current period (the UTC day,
    #: the calendar month, as the story sees it now): 1.0 is reached as the period ends, never
    #: passed, and the limit is period-sized from the period's first minute.
    of_use: float | None = None


@dataclass(frozen=True, slots=True)
class DemoKey:
    key_id: str | None
    description: str
    weight: float
    weekday_bias: float = 0.6
    key_type: str = "INFERENCE"
    limit: KeyLimit | None = None
    expires_in_days: float | None = None
    #: Listed by /api_keys (a key deleted since it was used is not).
    listed: bool = True


STANDARD_KEYS: tuple[DemoKey, ...] = (
    DemoKey("3f9c2a71-5e0b-4c1d-9a8e-1b2c3d4e5f60", "Production API", 0.38),
    # A monthly USD limit sized to its month: near it (80%) in the month's last week, a warning
    # before Venice starts answering 402.
    DemoKey(
        "8b1d4e22-7c3a-4f5e-8d9b-0a1b2c3d9f12",
        "Batch pipeline",
        0.21,
        weekday_bias=0.1,
        limit=KeyLimit(period="MONTH", of_use=1.0),
    ),
    # A daily DIEM limit sized to its day: reached once the day's DIEM is spent (DIEM pays
    # first), then Venice answers its calls with 402 until 00:00 UTC.
    DemoKey(
        "c5a7e913-2b4d-4e6f-a1c3-5d7e9f1a3b57",
        "Staging",
        0.09,
        limit=KeyLimit(period="EPOCH", of_use=1.0),
    ),
    DemoKey("d2e4f6a8-1c3e-4a5b-9c7d-e1f3a5c7e9b2", "Staging", 0.05, expires_in_days=3),
    DemoKey(
        "e7f9a1b3-4d6e-4f8a-b2c4-d6e8f0a2c4e8",
        "CI smoke tests",
        0.04,
        weekday_bias=0.95,
        limit=KeyLimit(usd=100.0, period="LIFETIME"),
    ),
    DemoKey("f1a3c5e7-9b2d-4c6e-8f1a-3c5e7a9b1d4f", "Alice — laptop", 0.07, weekday_bias=0.9),
    # Used in the period, deleted since: its usage stays, marked deleted.
    DemoKey("0a2c4e6f-8b1d-4f3a-9c5e-7f9b1d3f5a7c", "", 0.03, listed=False),
    DemoKey(None, "Web App", 0.13, weekday_bias=-0.3),
    # Never used; and the ADMIN key the dashboard itself reads billing with.
    DemoKey("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "Spare (not yet deployed)", 0.0),
    DemoKey("aa11bb22-cc33-4d44-8e55-ff6677889900", "venice-tui (admin)", 0.0, key_type="ADMIN"),
)

_FAMILIES = ("GLM", "Qwen", "Llama", "Mistral", "DeepSeek", "Kimi", "Gemma", "Hermes", "Phi", "Yi")
_IMAGE_FAMILIES = ("Flux", "HiDream", "Qwen Image", "SD 3.5", "Lustify")


def big_catalog(
    model_count: int = 300, key_count: int = 1000
) -> tuple[tuple[DemoModel, ...], tuple[DemoKey, ...]]:
    """A large account (hundreds of models, a thousand keys) for performance work."""
    models: list[DemoModel] = list(STANDARD_MODELS)
    index = 0
    while len(models) < model_count:
        index += 1
        weight = 2.0 / (1 + index * 0.15)
        if index % 7 == 0:
            family = _IMAGE_FAMILIES[index % len(_IMAGE_FAMILIES)]
            models.append(
                DemoModel(f"{family} v{index}", "IMAGE", "images", weight, unit_price=0.05)
            )
        else:
            family = _FAMILIES[index % len(_FAMILIES)]
            size = (7, 14, 32, 70, 235, 480)[index % 6]
            models.append(
                _llm(f"{family} {size}B r{index}", weight, 0.5, 2.0, cache=index % 2 == 0)
            )
    keys: list[DemoKey] = list(STANDARD_KEYS)
    for number in range(len(keys), key_count):
        key_id = f"{number:08x}-0000-4000-8000-{number * 7919 % 16**12:012x}"
        keys.append(DemoKey(key_id, f"service-{number:04d}", 1.0 / (1 + number * 0.05)))
    return tuple(models), tuple(keys)


#: Names a hostile or broken server might send: terminal escapes (clipboard write, title,
#: screen wipe, C1 CSI), markup for Rich and Textual, line breaks, NUL, bidi overrides.
HOSTILE_NAMES = (
    "\x1b]52;c;cHduZWQ=\x07clipboard",
    "\x1b]0;PWNED\x07title",
    "llama-3 [/beta",
    "[/]",
    "abc[/]",
    "\x1b[2Jwipe",
    "\x9b31mc1-csi",
    "two\nlines\x00nul",
    "bidi \u202egnp.exe",
    "[red]evil[/red] [@click=app.quit]x[/]",
    "ops [/team",
    'team "A", west\\east',
    "Qwen 3 Coder 480B",
)


def hostile_catalog() -> tuple[tuple[DemoModel, ...], tuple[DemoKey, ...]]:
    """The standard account with every name, unit type and key id made hostile."""
    models = tuple(
        replace(
            model,
            name=HOSTILE_NAMES[i % len(HOSTILE_NAMES)],
            unit_type=("[/]tokens" if model.unit_type == "tokens" else model.unit_type),
        )
        for i, model in enumerate(STANDARD_MODELS)
    )
    keys = tuple(
        replace(
            key,
            description=HOSTILE_NAMES[(i + 3) % len(HOSTILE_NAMES)],
            key_id=None if key.key_id is None else f"{key.key_id[:-6]}[/]\x1b]0;{i:02d}",
        )
        for i, key in enumerate(STANDARD_KEYS)
    )
    return models, keys
