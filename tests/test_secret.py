import pickle

import pytest

from venice_tui.api.secret import ApiKey

KEY = "sk-admin-abcdefghijklmnop1234"


def test_every_printable_form_is_masked() -> None:
    key = ApiKey(KEY)
    for text in (
        repr(key),
        str(key),
        f"{key}",
        f"{key!r}",
        "{}".format(key),  # noqa: UP032
        repr([key]),
        repr({"k": key}),
    ):
        assert KEY not in text
        assert "1234" in text  # the last four characters help a person tell keys apart


def test_reveal_gives_the_key_back_stripped() -> None:
    assert ApiKey(f"  {KEY}\n").reveal() == KEY


def test_short_keys_show_nothing_of_themselves() -> None:
    assert ApiKey("abc").masked == "••••"


@pytest.mark.parametrize("value", ["", "   ", "two words"])
def test_bad_keys_are_refused(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        ApiKey(value)
    assert value.strip() == "" or value not in str(caught.value)


def test_cannot_be_pickled_or_changed() -> None:
    key = ApiKey(KEY)
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(AttributeError):
        key._value = "x"  # type: ignore[misc]
    assert not hasattr(key, "__dict__")
