import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.pageid import PageId, PageIdError


@given(
    version=st.text(alphabet="0123456789ABCDEF", min_size=8, max_size=8),
    page=st.integers(1, 9999),
    serial=st.one_of(st.none(), st.integers(0, 999_999_999)),
)
def test_page_id_round_trip(version: str, page: int, serial: int | None) -> None:
    pid = PageId(version, page, serial)
    text = pid.encode()
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.")
    assert PageId.decode(text) == pid
    assert PageId.decode(text.encode()) == pid


@pytest.mark.parametrize(
    "payload", ["", "hello", "P1.3FA9C2D.01", "P1.3fa9c2d1.01", "P1.3FA9C2D1.1"]
)
def test_page_id_rejects_garbage(payload: str) -> None:
    with pytest.raises(PageIdError):
        PageId.decode(payload)


def test_page_id_rejects_unknown_format() -> None:
    with pytest.raises(PageIdError, match="not supported"):
        PageId.decode("P2.3FA9C2D1.01")


def test_card_page_numbers() -> None:
    from forms.pageid import card_page, card_slot

    assert card_page(1, 3) == 103 and card_slot(103) == (1, 3)
    assert card_slot(card_page(42, 99)) == (42, 99)
    pid = PageId("34C25A69", card_page(2, 6), 17)
    assert PageId.decode(pid.encode()).page == 206
    for bad in (100, 5, 0):
        with pytest.raises(PageIdError):
            card_slot(bad)
    with pytest.raises(PageIdError):
        card_page(1, 100)
