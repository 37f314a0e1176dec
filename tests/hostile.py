"""Hostile text for the property tests and the fuzz corpus: what scraped pages and pasted dumps can hold.

Generated, not copied from the seeds: article dumps with comment trees and Discourse-style threads built from
their structure (titles, numbered comments with indented replies, "N Likes" lines), mixed with RTL text, bidi
controls, zero-width characters, control characters, every kind of quotation mark and odd line endings.
"""

from __future__ import annotations

from hypothesis import strategies as st

RTL = [
    "مرحبا بالعالم",
    "قال المتحدث",
    "שלום עולם",
    "אמר הדובר",
    "\u200f",
    "\u200e",
    "\u202b",
    "\u202e",
    "\u202c",
]
RTL += ["\u2066", "\u2067", "\u2069", "\u061c"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "👨\u200d👩\u200d👧"]
CONTROL = [chr(code) for code in range(32) if chr(code) not in "\n"] + ["\x7f", "\x85", "\u2028", "\u2029"]
QUOTES = ["„", "“", "”", "«", "»", "‹", "›", "‘", "’", '"', "'", "''", "``", "「", "」"]
NESTED_QUOTES = [
    "„Er sagte «nie» und ‘nie wieder’“",
    "“She called it ‘outright blackmail’,” he said.",
    "«Il a dit „non“ et ‘jamais’»",
    '"unbalanced, the official said',
    "he said: “and never closed",
    "’tis ‘odd’ ’",
]
LINE_BREAKS = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\r\r", "\n\r"]
SEPARATORS = ["++++++++++", "==========", "----------", "* * *", "|", "•"]
WORDS = [
    "The", "Kremlin", "said", "warned", "denied", "that", "the", "attack", "was", "planned", "by", "staff",
    "on", "Friday", "according", "to", "Reuters", "she", "told", "reporters", "Putin", "blackmail", "Moscow",
    "March", "22,", "2024", "he", "added.", "It", "they", "insisted", "claimed", "responsibility", ":", ",",
    "—", "(", ")", "...", "…", "?", "!", ";",
]  # fmt: skip
STRUCTURE = [
    "1. ",
    "  2) ",
    "    • ",
    "      - ",
    "* ",
    "6 Likes",
    "1,024 likes",
    "Originally published at: https://example.org/2024/03/22/story.html",
    "By Jane Roe",
    "Related: more",
    "Photo: Agency/Reuters",
    "Share this:",
]
FRAGMENTS = RTL + INVISIBLE + CONTROL + QUOTES + NESTED_QUOTES + LINE_BREAKS + SEPARATORS + STRUCTURE
FRAGMENTS += [f" {word} " for word in WORDS] + [" ", "  ", "\t", "\xa0"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A plausible news sentence, sometimes quoted and attributed."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=18))
    body = " ".join(words)
    opening, closing = draw(
        st.sampled_from([("", ""), ("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’"), ('"', "")])
    )
    tail = draw(st.sampled_from(["", ", he said", ", officials said", " — according to Reuters", ""]))
    return f"{opening}{body}{closing}{tail}."


def fragment_soup(max_size: int = 80) -> st.SearchStrategy[str]:
    """Hostile fragments in any order: the parsers' and the extractor's worst case at small sizes."""
    return st.lists(st.sampled_from(FRAGMENTS) | sentences(), max_size=max_size).map("".join)


def hostile_text(max_size: int = 80) -> st.SearchStrategy[str]:
    """Arbitrary Unicode (hypothesis's own generator) or fragment soup."""
    return st.text(max_size=max_size * 4) | fragment_soup(max_size)


@st.composite
def comment_trees(draw: st.DrawFn, max_comments: int = 30) -> str:
    """An article followed by its title again and an indented comment tree ("1." top level, bullets below)."""
    title = " ".join(draw(st.lists(st.sampled_from(WORDS[:20]), min_size=2, max_size=7))).title()
    prose = [draw(sentences()) for _ in range(draw(st.integers(1, 4)))]
    rows = []
    number, depth = 0, 0
    for _ in range(draw(st.integers(2, max_comments))):
        depth = draw(st.integers(0, min(depth + 1, 6)))
        if depth == 0:
            number += 1
            marker = f"{number}."
        else:
            marker = draw(st.sampled_from(["•", "-", "*", "–", "◦"]))
        text = draw(sentences() | fragment_soup(6))
        rows.append(f"{'  ' * (depth + 1)}{marker} {text}")
        if draw(st.booleans()):
            rows.append(f"{'  ' * (depth + 2)}{draw(sentences())}")
    line_break = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return line_break.join([title, "", *prose, "", title, "", *rows])


@st.composite
def discourse_threads(draw: st.DrawFn, max_posts: int = 20) -> str:
    """A forum topic: title, an "Originally published at:" link, posts each closed by an "N Likes" line."""
    title = " ".join(draw(st.lists(st.sampled_from(WORDS[:20]), min_size=2, max_size=9)))
    lines = [
        title,
        "",
        f"Originally published at: https://example.org/2024/03/{draw(st.integers(1, 31)):02}/x",
    ]
    for _ in range(draw(st.integers(2, max_posts))):
        lines += ["", *draw(st.lists(sentences() | fragment_soup(5), min_size=1, max_size=3))]
        lines += ["", f"{draw(st.integers(0, 2000))} {draw(st.sampled_from(['Likes', 'likes', 'Like']))}"]
    line_break = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return line_break.join(lines)


def structured_text() -> st.SearchStrategy[str]:
    """Any of the recognised formats, or a dump of several separated by "++++" lines."""
    one = comment_trees() | discourse_threads() | fragment_soup()
    return one | st.lists(one, min_size=2, max_size=4).map("\n\n++++++++++\n\n".join)


def big_comment_tree(comments: int = 10_000) -> str:
    """A 10,000-comment tree nested up to seven levels, for the explicit big examples."""
    rows = []
    for index in range(comments):
        step = index % 11
        depth = step if step < 7 else step - 7  # down a staircase to depth 6, then a shorter one
        marker = f"{index // 7 + 1}." if depth == 0 else "•-*"[depth % 3]
        rows.append(f"{'  ' * (depth + 1)}{marker} reply {index}: “she said ‘no’,” he wrote \u200f{RTL[0]}")
    return "Ferry Strike Ends\n\nThe union said the strike was over.\n\nFerry Strike Ends\n\n" + "\n".join(
        rows
    )


def one_megabyte_line() -> str:
    """One line of about a million characters: prose with quotes, RTL and zero-width characters, no break."""
    unit = "The Kremlin said: “the warning was ‘blackmail’,” \u200f" + RTL[2] + "\u200d, "
    return (unit * (2**20 // len(unit) + 1))[: 2**20]
