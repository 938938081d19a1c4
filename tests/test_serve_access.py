"""The pieces of `venice-tui serve`'s guard that need no server: the token it accepts, and the
sizes and messages it lets through to a dashboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from venice_tui.ui.serve_access import TOKEN_ENV, TokenError, load_token
from venice_tui.ui.serve_session import Malformed, parse_message, terminal_size


def test_a_new_token_each_start_unless_one_is_given(tmp_path: Path) -> None:
    first, second = load_token(None, {}), load_token(None, {})
    assert first.value != second.value and len(first.value) >= 32 and first.printable
    assert first.value not in repr(first)
    given = load_token(None, {TOKEN_ENV: "a-token-from-a-script-0123"})
    assert given.value == "a-token-from-a-script-0123" and not given.printable
    path = tmp_path / "token"
    path.write_text("a-token-from-a-file-0123\n")
    path.chmod(0o600)
    assert load_token(str(path), {TOKEN_ENV: "ignored-because-a-file-wins"}).value == (
        "a-token-from-a-file-0123"
    )


@pytest.mark.parametrize(
    ("content", "mode", "said"),
    [
        ("a-token-from-a-file-0123", 0o640, "may be read or changed by other users"),
        ("a-token-from-a-file-0123", 0o602, "may be read or changed by other users"),
        ("too-short", 0o600, "at least 16 characters"),
        ("a token with spaces in it", 0o600, "only letters, digits and . _ ~ -"),
    ],
)
def test_a_token_file_it_will_not_use(tmp_path: Path, content: str, mode: int, said: str) -> None:
    path = tmp_path / "token"
    path.write_text(content)
    path.chmod(mode)
    with pytest.raises(TokenError, match=said):
        load_token(str(path), {})
    with pytest.raises(TokenError, match="No such file"):
        load_token(str(tmp_path / "absent"), {})


def test_sizes_are_clamped_to_what_a_screen_shows() -> None:
    assert terminal_size({}) == (80, 24)
    assert terminal_size({"width": "2000", "height": "1000"}) == (500, 200)
    assert terminal_size({"width": "-3", "height": "0"}) == (1, 1)
    resize = parse_message('["resize", {"width": 100000, "height": 9000}]')
    assert (resize.kind, resize.width, resize.height) == ("resize", 500, 200)
    with pytest.raises(Malformed, match="whole numbers"):
        terminal_size({"width": "1e9"})


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("not json", "not JSON"),
        ('{"stdin": "q"}', "not a \\[type, data\\] list"),
        ("[]", "not a \\[type, data\\] list"),
        ('["stdin", 5]', "stdin without text"),
        ('["resize", [1, 2]]', "resize without a size"),
        ('["resize", {"width": true, "height": 2}]', "whole numbers"),
        ('["shell", "rm"]', "an unknown message type"),
    ],
)
def test_a_message_no_page_of_ours_sends(raw: str, said: str) -> None:
    with pytest.raises(Malformed, match=said):
        parse_message(raw)


def test_the_messages_the_page_sends() -> None:
    assert parse_message('["stdin", "2"]').text == "2"
    assert parse_message('["ping", "1700000000"]').kind == "ping"
    assert parse_message('["focus"]').kind == "focus"
