import pytest

from articles.ingest import ingest_bytes
from claims.models import Claim, ClaimSpan
from claims.passages import Piece, passage_pieces

pytestmark = pytest.mark.django_db

TEXT = "Earlier words come first here. The Kremlin said the warning was blackmail. Later words end it."


@pytest.fixture
def claim():
    document = ingest_bytes(TEXT.encode(), name="p.txt").source_file.documents.get()
    sentence = document.text.index("The Kremlin")
    claim = Claim.objects.create(
        document=document,
        sentence_start=sentence,
        sentence_end=document.text.index(" Later"),
        content_text="the warning was blackmail",
        headline="Kremlin said the warning was blackmail",
    )
    for role, words in (("source", "The Kremlin"), ("cue", "said"), ("content", "the warning was blackmail")):
        start = document.text.index(words)
        ClaimSpan.objects.create(claim=claim, role=role, start=start, end=start + len(words))
    return claim


def test_the_sentence_comes_in_marked_pieces(claim):
    assert [(piece.text, piece.role) for piece in passage_pieces(claim)] == [
        ("…", ""),
        ("The Kremlin", "source"),
        (" ", ""),
        ("said", "cue"),
        (" ", ""),
        ("the warning was blackmail", "content"),
        (".", ""),
        ("…", ""),
    ]


def test_each_piece_knows_its_place_in_the_document(claim):
    text = claim.document.text
    for piece in passage_pieces(claim, context=12):
        if piece.start is None:
            assert piece.text == "…"
        else:
            assert text[piece.start : piece.start + len(piece.text)] == piece.text


def test_context_never_starts_or_ends_inside_a_word(claim):
    pieces = passage_pieces(claim, context=12)
    assert pieces[0] == Piece("…")  # an elision has no place in the text
    assert pieces[1].text == "first here. "
    assert pieces[-2].text == ". Later words"
    assert pieces[-1] == Piece("…")
