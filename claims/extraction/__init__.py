"""Attributed-claim extraction: who said what, with which reporting words.

Pure Python + spaCy (no Django): a spaCy pipeline whose ``claimtracker_*``
components mark attributions (source, cue, content) as the PolNeAR corpus
annotates them. Entry points live in ``pipeline``.
"""

# Stored with every machine claim; bump it when extraction changes, so `manage.py extract` redoes documents
# (claims people reviewed are kept).
EXTRACTOR_VERSION = "2026.11.2"
