"""Which Venice account a key belongs to (`core.identity`): placed by its account's key ids,
a new account beside the old one, files kept from before adopted only by a matching key list,
a key that cannot list keys on its own, and never the key itself on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from venice_tui.api.secret import ApiKey
from venice_tui.core.fs import current_account_digest, place_digest
from venice_tui.core.identity import AccountBook

BASE = "https://api.venice.ai/api/v1"
KEY_A1 = ApiKey("sk-admin-account-a-first-0123456789")
KEY_A2 = ApiKey("sk-admin-account-a-second-0123456789")
KEY_B = ApiKey("sk-admin-account-b-only-0123456789")
IDS_A = ["aaaa-1", "aaaa-2", "aaaa-3"]
IDS_B = ["bbbb-1", "bbbb-2"]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VENICE_TUI_DATA_DIR", str(tmp_path))
    return tmp_path


def placed(
    key: ApiKey, ids: list[str] | None, legacy: set[str] | None = None
) -> tuple[str, str | None]:
    """(digest, notice) of `key`, placed and saved as a command would."""
    book = AccountBook("default", BASE)
    placement = book.place(key, ids, lambda: legacy or set())
    book.save()
    return placement.files.digest, placement.notice


def test_two_keys_of_one_account_share_its_files() -> None:
    first, notice = placed(KEY_A1, IDS_A)
    assert notice is None  # the first account under the profile: nothing to say
    second, notice = placed(KEY_A2, [*IDS_A, "aaaa-4"])  # a key list that grew
    assert second == first and notice is None


def test_a_key_of_another_account_gets_files_of_its_own_and_says_so() -> None:
    first, _ = placed(KEY_A1, IDS_A)
    other, notice = placed(KEY_B, IDS_B)
    assert other != first
    assert notice is not None and "another Venice account" in notice and "apart" in notice
    # and each key keeps its own account for ever, with no request
    book = AccountBook("default", BASE)
    files_a, files_b = book.known(KEY_A1), book.known(KEY_B)
    assert files_a is not None and files_b is not None
    assert (files_a.digest, files_b.digest) == (first, other)
    assert files_a.archive_path() != files_b.archive_path()


def test_the_profile_shows_the_account_placed_last() -> None:
    first, _ = placed(KEY_A1, IDS_A)
    assert current_account_digest("default", BASE) == first
    other, _ = placed(KEY_B, IDS_B)
    assert current_account_digest("default", BASE) == other


def test_files_from_before_go_to_the_account_whose_key_list_they_hold() -> None:
    legacy = place_digest("default", BASE)
    stranger, _ = placed(KEY_B, IDS_B, legacy=set(IDS_A))  # the old cache holds A's keys
    assert stranger != legacy
    owner, _ = placed(KEY_A1, IDS_A, legacy=set(IDS_A))
    assert owner == legacy  # A finds its numbers kept before accounts were told apart


def test_a_key_that_cannot_list_keys_is_an_account_of_its_own_until_known() -> None:
    admin, _ = placed(KEY_A1, IDS_A)
    inference, _ = placed(ApiKey("inference-key-of-a-0123456789"), None)
    assert inference != admin


def test_the_key_is_never_on_disk(data_dir: Path) -> None:
    placed(KEY_A1, IDS_A)
    placed(KEY_B, IDS_B)
    written = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert written
    for key in (KEY_A1, KEY_B):
        assert key.reveal().encode() not in written
        assert key.reveal()[:24].encode() not in written


def test_a_book_that_is_not_one_is_placed_again(data_dir: Path) -> None:
    placed(KEY_A1, IDS_A)
    [book_file] = (data_dir / "accounts").iterdir()
    book_file.write_text('{"salt": 3, "accounts": []}')
    digest, _ = placed(KEY_A1, IDS_A)  # no crash: placed anew
    assert AccountBook("default", BASE).known(KEY_A1) is not None
    assert digest
