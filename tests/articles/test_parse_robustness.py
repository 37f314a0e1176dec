"""Odd input never crashes the parser nor yields a span outside the text or overlapping another."""

import random
import time
from pathlib import Path

import pytest

from articles.parsing import parse_text
from articles.parsing.checks import contract_violations
from articles.parsing.model import DocumentKind, ParsedFile

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.txt"))
PROSE = "The ferry left at noon, and the harbour was quiet for the rest of the long afternoon."


def parse(text: str) -> ParsedFile:
    parsed = parse_text(text, filename="odd.txt")
    assert contract_violations(parsed, text) == []
    return parsed


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\r\n\r\n", "\t \xa0\u200b"])
def test_blank_input_gives_no_documents(text: str) -> None:
    parsed = parse(text)
    assert parsed.documents == [] and parsed.warnings


@pytest.mark.parametrize(
    ("text", "kept"),
    [("Hello", ["Hello"]), ("Hello\n", ["Hello"]), (f"{PROSE}", [PROSE]), ("42", []), ("++++", [])],
)
def test_a_single_line(text: str, kept: list[str]) -> None:
    parsed = parse(text)
    assert [segment.text(text) for document in parsed.documents for segment in document.segments] == kept


def summary(parsed: ParsedFile, text: str) -> list[tuple]:
    return [
        (
            document.kind,
            document.title,
            [segment.text(text) for segment in document.segments],
            len(document.posts),
        )
        for document in parsed.documents
    ]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
@pytest.mark.parametrize("line_break", ["\r\n", "\r"])
def test_crlf_and_cr_line_breaks_parse_like_lf(seed: Path, line_break: str) -> None:
    text = seed.read_text(encoding="utf-8")
    converted = text.replace("\n", line_break)
    assert summary(parse(converted), converted) == summary(parse(text), text)


def test_mixed_line_breaks_and_tabs() -> None:
    article = f"Tides rise\r\n\r\n{PROSE}\r{PROSE}\n\n\tRelated: tides\n\nTides rise\n\n"
    text = f"{article}1.\tFirst!\r\n\t- Reply\t\r\n2. Second\n"
    parsed = parse(text)
    assert [document.kind for document in parsed.documents] == [
        DocumentKind.ARTICLE,
        DocumentKind.COMMENT_THREAD,
    ]
    assert [post.depth for post in parsed.documents[1].posts] == [0, 1, 0]


def test_separators_at_the_start_and_the_end() -> None:
    text = f"++++++++++\n\nTides rise\n\n{PROSE}\n\n++++++++++\n\n==========\n"
    parsed = parse(text)
    assert [document.title for document in parsed.documents] == ["Tides rise"]
    assert len(parsed.skipped) == 3


def test_unbalanced_quotes_and_brackets() -> None:
    text = f"“Tides rise\n\n{PROSE} “he said (and [then\n\n) ] ” ’\n\n(Photo/Agency\n"
    parse(text)


def test_a_very_long_line() -> None:
    text = f"Tides rise\n\n{(PROSE + ' ') * 20_000}\n\n{'x' * 200_000} | {'y ' * 50_000}\n"
    started = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - started < 5
    assert parsed.documents[0].title == "Tides rise"


def test_a_ten_thousand_line_comment_tree() -> None:
    rows = []
    for index in range(10_000):
        depth = index % 7
        marker = f"{index // 7 + 1}." if depth == 0 else "-*•"[depth % 3]
        rows.append(f"{'  ' * depth}{marker} comment {index} says something")
    text = f"Tides rise\n\n{PROSE}\n\nTides rise\n\n" + "\n".join(rows)
    started = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - started < 5
    posts = parsed.documents[1].posts
    assert len(posts) == 10_000
    assert max(post.depth for post in posts) == 6


def test_deep_staircase_of_replies() -> None:
    text = "\n".join(f"{' ' * depth}- reply at depth {depth}" for depth in range(3000))
    parsed = parse(text)
    assert parsed.documents[0].posts[-1].depth == 2999


def test_a_large_dump_of_repeated_files_yields_every_article() -> None:
    """Speed is measured by benchmarks, not asserted here; this checks that size changes nothing."""
    files = [seed.read_text(encoding="utf-8") for seed in SEEDS if "004" not in seed.name]
    block = "\n\n++++++++++\n\n".join(files)
    single = len(parse(block).documents)
    assert len(parse("\n\n++++++++++\n\n".join([block] * 20)).documents) == 20 * single


def test_shuffled_lines_never_break_the_contract() -> None:
    """Seed lines and odd fragments in random order, indentation and line breaks."""
    lines = [line for seed in SEEDS for line in seed.read_text(encoding="utf-8").splitlines()]
    lines += [
        "",
        "  ",
        "++++",
        "The End",
        "  1. numbered",
        "    • bullet",
        "\t- dash",
        "7 Likes",
        "“",
        "|",
        "By",
    ]
    rng = random.Random(20240327)
    for _ in range(150):
        picked = [rng.choice(lines) for _ in range(rng.randint(1, 80))]
        picked = [" " * rng.choice([0, 0, 0, 2, 4, 7]) + line for line in picked]
        text = "".join(line + rng.choice(["\n", "\n", "\r\n", "\r", "\n\n\n"]) for line in picked)
        parse(text)
