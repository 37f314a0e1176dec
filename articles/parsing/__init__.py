"""Parsers for the text files ClaimTracker ingests: article dumps, comment trees and forum threads.

`parse_text` recognises the format and returns a `ParsedFile` of spans into the text it was given.
"""

from articles.parsing.dispatch import parse_text

__all__ = ["parse_text"]
