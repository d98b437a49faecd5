"""hypothesis strategies for what a dealer (or a bad paste) can put in a field: any text, and
the shapes that broke parsers before: huge digit runs with thousands marks, NaN, Infinity,
exponents, lone separators, other scripts' digits, signs, whitespace and control characters."""

from __future__ import annotations

from babel.localedata import locale_identifiers
from hypothesis import strategies as st

# Every locale babel knows: the dealer's locale may be any of them (ui.widgets.locale_and_fields).
LOCALES = st.sampled_from(sorted(locale_identifiers()))
CURRENCIES = st.sampled_from(["USD", "EUR", "CHF", "GBP", "JPY", "KRW", "KWD", "BHD", "ISK"])

SEPARATORS = ",.'’ʼ′ \u00a0\u202f\u2009٬٫·_"
SIGNS = "+-−‐‑–—()"
SPECIALS = st.sampled_from(
    [
        "NaN",
        "nan",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "∞",
        "1e999",
        "1E+999",
        "1e-999",
        "-1e5",
        "1.5e3",
        "9" * 30 + "e9999",
        "0x1F",
        "1_000",
        "١٬٢٣٤٫٥٠",
        "１２３，４５６",
        "१२३",
        "½",
        "²",
        "$",
        "€",
        "USD",
        "CHF 1'250.00",
        ".",
        ",",
        "'",
        "",
        " ",
    ]
)
CONTROL_CHARACTERS = st.text(
    st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), min_size=1, max_size=5
)


@st.composite
def huge_digit_runs(draw: st.DrawFn) -> str:
    """26 to 400 digits, grouped in threes with one of the marks, maybe with decimals."""
    digits = draw(st.text("0123456789", min_size=26, max_size=400))
    mark = draw(st.sampled_from(["", ",", ".", "'", "’", " ", "\u00a0", "\u202f"]))
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    text = mark.join(groups)
    tail = draw(st.sampled_from(["", ".00", ",00", ".5", ",5", ".000", ".999999"]))
    return text + tail


def _pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=20),
        st.text("0123456789", min_size=1, max_size=12),
        st.text(SEPARATORS, min_size=1, max_size=3),
        st.text(SIGNS, min_size=1, max_size=2),
        SPECIALS,
        CONTROL_CHARACTERS,
        huge_digit_runs(),
    )


# What is typed into an amount field: any text, the shapes above, and pieces of them joined.
AMOUNT_TEXT = st.one_of(
    st.text(),
    SPECIALS,
    huge_digit_runs(),
    st.lists(_pieces(), min_size=1, max_size=5).map("".join),
)

# What is typed into a text field: any text, very long text, control characters inside.
FIELD_TEXT = st.one_of(
    st.text(),
    st.text(min_size=100, max_size=6000),
    st.lists(st.one_of(st.text(max_size=10), CONTROL_CHARACTERS), max_size=6).map("".join),
    AMOUNT_TEXT,
)
