import pytest

from articles.ingest import ingest_bytes
from articles.models import Post
from articles.reading import Cover, Segment, Span, paragraph_ranges, reading_blocks, segments
from claims.models import Claim, ClaimSpan

TEXT = "The Kremlin said that Kyiv was behind it.\n\nUkraine denied any role,\nits ministry wrote.\n"


def span(start: int, end: int, claim_id: int, role: str, extent: int = 100) -> Span:
    return Span(start, end, Cover(claim_id, role, extent))


def test_paragraphs_are_the_runs_between_blank_lines_with_their_line_breaks():
    ranges = paragraph_ranges(TEXT)
    assert [TEXT[start:end] for start, end in ranges] == [
        "The Kremlin said that Kyiv was behind it.",
        "Ukraine denied any role,\nits ministry wrote.\n",
    ]


def test_blank_paragraphs_and_padded_separators_leave_no_empty_block():
    text = "\n\nOne.\n  \n\n\nTwo."
    assert [text[start:end] for start, end in paragraph_ranges(text)] == ["One.", "Two."]


def test_segments_join_back_to_the_text_at_their_offsets():
    spans = [span(0, 11, 1, "source"), span(12, 16, 1, "cue"), span(17, 41, 1, "content")]
    pieces = segments(TEXT, 0, 41, spans)
    assert "".join(piece.text for piece in pieces) == TEXT[:41]
    for piece in pieces:
        assert TEXT[piece.start : piece.end] == piece.text
    assert [(piece.text, piece.roles) for piece in pieces] == [
        ("The Kremlin", ["source"]),
        (" ", []),
        ("said", ["cue"]),
        (" ", []),
        ("that Kyiv was behind it.", ["content"]),
    ]


def test_nested_claims_cut_the_outer_content_and_deepen_its_shade():
    # Claim 1's content holds claim 2 whole: "Kyiv" is claim 2's source and inside both contents.
    spans = [
        span(17, 41, 1, "content", extent=41),
        span(22, 26, 2, "source", extent=19),
        span(27, 41, 2, "content", extent=19),
    ]
    pieces = {piece.text: piece for piece in segments(TEXT, 0, 41, spans)}
    assert pieces["Kyiv"].roles == ["source", "content"]
    assert pieces["Kyiv"].claim_ids == [2, 1]  # innermost first
    assert pieces["was behind it."].content_depth == 2
    assert "content-depth-2" in pieces["was behind it."].css_class
    assert pieces["that "].claim_ids == [1]
    assert pieces["that "].css_class == "claim-mark role-content"


def test_overlapping_claims_combine_roles_and_cap_the_shade():
    spans = [span(0, 21, claim, "content") for claim in (1, 2, 3, 4)] + [span(4, 11, 5, "source", extent=7)]
    first, middle, last = segments(TEXT, 0, 21, spans)
    assert (first.text, middle.text, last.text) == ("The ", "Kremlin", " said that")
    assert middle.css_class == "claim-mark role-source role-content content-depth-3plus"
    assert middle.data_claims == "5 4 3 2 1"
    assert middle.label == "source, content of 4 claims"


def test_spans_reaching_past_a_block_are_cut_at_its_edges():
    spans = [span(31, 60, 1, "content")]
    pieces = segments(TEXT, 0, 41, spans)
    assert pieces[-1] == Segment(31, "behind it.", (Cover(1, "content", 100),))
    assert segments(TEXT, 43, 60, spans)[0].text == "Ukraine denied an"


@pytest.mark.django_db
def test_reading_blocks_show_visible_claims_and_hide_rejected_ones():
    document = ingest_bytes(TEXT.encode(), name="kremlin.txt").source_file.documents.get()
    start = document.text.index("The Kremlin")
    kept = Claim.objects.create(
        document=document, sentence_start=start, sentence_end=start + 41, headline="k"
    )
    rejected = Claim.objects.create(
        document=document, sentence_start=start, sentence_end=start + 41, headline="r", status="rejected"
    )
    for claim in (kept, rejected):
        ClaimSpan.objects.create(claim=claim, role="cue", start=start + 12, end=start + 16)
    blocks = reading_blocks(document)
    assert len(blocks) == 2
    marked = [piece for block in blocks for piece in block.segments if piece.covers]
    assert [(piece.text, piece.claim_ids) for piece in marked] == [("said", [kept.pk])]
    for block in blocks:
        assert "".join(piece.text for piece in block.segments) == document.text[block.start : block.end]


@pytest.mark.django_db
def test_a_thread_has_one_block_per_post():
    document = ingest_bytes(TEXT.encode(), name="thread.txt").source_file.documents.get()
    first = Post.objects.create(
        document=document, position=0, text_start=0, text_end=41, source_start=0, source_end=41
    )
    second = Post.objects.create(
        document=document,
        position=1,
        parent=first,
        depth=1,
        text_start=43,
        text_end=len(TEXT) - 1,
        source_start=43,
        source_end=len(TEXT) - 1,
    )
    blocks = reading_blocks(document, [first, second])
    assert [block.post for block in blocks] == [first, second]
    assert blocks[1].segments[0].text == "Ukraine denied any role,\nits ministry wrote."
    assert blocks[1].segments[0].start == 43
