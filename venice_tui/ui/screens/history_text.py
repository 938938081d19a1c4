"""The History screen's words: the ledger's state, cost per unit per SKU, one row in full.
Built from plain strings: SKUs and request ids are shown as sent, never parsed as markup."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.content import Content

from venice_tui.core import format as fmt
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.local_archive import LedgerLine, LedgerTotals, SkuCost
from venice_tui.ui.ledger_service import LedgerState


def ledger_summary(
    every: LedgerTotals | None, state: LedgerState, scope: str, busy: str | None = None
) -> Content:
    """The ledger's state; `every` is None until the first page is read; `busy` says what a
    query that takes a while is doing ("filtering…")."""
    dot = f" {GLYPHS.dot} "
    parts: list[str | tuple[str, str]] = [("Ledger", "bold")]
    if every is None:
        pass
    elif not every.rows:
        parts.append(
            (
                f"{dot}no rows yet: y syncs it now; ctrl+p {GLYPHS.arrow} Keep the ledger in sync",
                "$text-warning",
            )
        )
    else:
        first = datetime.fromtimestamp((every.first_ts or 0) / 1000, UTC)
        last = datetime.fromtimestamp((every.last_ts or 0) / 1000, UTC)
        parts.append(
            f"{dot}{every.rows:,} rows, {first:%Y-%m-%d} {GLYPHS.arrow} {last:%Y-%m-%d %H:%M} UTC"
        )
    if state.syncing:
        parts.append((f"{dot}{GLYPHS.loading} syncing {state.fraction:.0%}", "bold $text-accent"))
    elif state.error:
        parts.append((f"{dot}{GLYPHS.cross} sync failed: {state.error}", "bold $text-error"))
    elif state.synced_at is not None:
        parts.append((f"{dot}synced {state.synced_at:%H:%M} UTC", "dim"))
    elif not state.enabled:
        parts.append((f"{dot}not kept in sync", "dim"))
    parts.append("\n")
    parts.append(reconciliation(state))
    parts.append((f"{dot}showing {scope}", "dim"))
    if busy:
        parts.append((f"{dot}{GLYPHS.loading} {busy}", "bold $text-accent"))
    return Content.assemble(*parts)


def reconciliation(state: LedgerState) -> str | tuple[str, str]:
    checks = state.checks
    if not checks:
        return ("not reconciled yet (needs whole days in both the ledger and the usage)", "dim")
    wrong = [c for c in checks if not c.matches]
    if not wrong:
        return (f"{GLYPHS.check} matches usage-analytics on {len(checks)} days", "$text-success")
    worst = max(wrong, key=lambda c: abs(c.usd_gap) + abs(c.diem_gap))
    return (
        f"{GLYPHS.cross} MISMATCH with usage-analytics on {len(wrong)} of {len(checks)} days; "
        f"worst {worst.describe()}",
        "bold $text-error",
    )


#: The side panel's text width: a SKU's name gives way to its amount.
SKU_LINE = 40


def sku_table(skus: list[SkuCost]) -> Content:
    """Per SKU and currency: a SKU paid in DIEM and in USD on one day is two rows, each amount
    in its own currency (never a DIEM amount with `$`, never the two summed)."""
    if not skus:
        return Content("")
    lines: list[str | tuple[str, str]] = [("\nCost per unit by SKU and currency", "bold")]
    for sku in skus:
        per_unit = sku.per_unit
        price = fmt.unit_price(per_unit, sku.currency) if per_unit is not None else GLYPHS.dash
        amount = fmt.money_in(sku.charged, sku.currency)
        room = max(8, SKU_LINE - 1 - max(13, len(amount)))
        lines.append(f"\n{fmt.truncate(sku.sku, room):<{room}} {amount:>13}")
        lines.append((f"\n  {fmt.compact(sku.units)} units {GLYPHS.dot} {price}", "dim"))
    return Content.assemble(*lines)


def describe_line(line: LedgerLine) -> Content:
    when = datetime.fromtimestamp(line.ts / 1000, UTC)
    parts: list[str | tuple[str, str]] = [
        ("\n" + line.sku, "bold"),
        (f"\n{when:%Y-%m-%d %H:%M:%S}.{line.ts % 1000:03d} UTC", "dim"),
        f"\n{line.charged:,.6f} {line.currency}",
        f"\n{line.units:,.6g} units"
        + (f", list price ${line.price:,.4g}/unit" if line.price is not None else ""),
    ]
    if line.prompt_tokens is not None or line.completion_tokens is not None:
        parts.append(
            f"\n{line.prompt_tokens or 0:,} prompt {GLYPHS.dot} "
            f"{line.completion_tokens or 0:,} completion tokens"
        )
    if line.exec_ms is not None:
        parts.append(f"\nran {line.exec_ms / 1000:.2f} s")
    if line.request_id:
        parts.append((f"\n{line.request_id}", "dim"))
    return Content.assemble(*parts)
