from articles.assembly import TextAssembler
from articles.parsing.model import Span

SOURCE = "Title\n\nFirst paragraph.\n\n\nSecond\n    continued line.\r\nThird line."


def spans_of(*pieces: str) -> list[Span]:
    spans, cursor = [], 0
    for piece in pieces:
        start = SOURCE.index(piece, cursor)
        spans.append(Span(start, start + len(piece)))
        cursor = start + len(piece)
    return spans


def test_pieces_on_consecutive_lines_join_with_a_newline_others_with_a_blank_line():
    assembler = TextAssembler(SOURCE)
    for span in spans_of("First paragraph.", "Second", "continued line.", "Third line."):
        assembler.append(span)
    assert assembler.text == "First paragraph.\n\nSecond\ncontinued line.\nThird line."


def test_the_offset_map_points_every_piece_back_to_the_source():
    assembler = TextAssembler(SOURCE)
    spans = spans_of("Title", "Second", "Third line.")
    ranges = [assembler.append(span) for span in spans]
    for (text_start, text_end), span, entry in zip(ranges, spans, assembler.offset_map, strict=True):
        assert entry == [text_start, span.start, span.end - span.start]
        assert assembler.text[text_start:text_end] == SOURCE[span.start : span.end]


def test_a_new_block_forces_a_blank_line_even_between_adjacent_lines():
    assembler = TextAssembler(SOURCE)
    second, continued = spans_of("Second", "continued line.")
    assembler.append(second)
    assembler.append(continued, new_block=True)
    assert assembler.text == "Second\n\ncontinued line."
