"""atheris harnesses over the decoder, the parsers and the extractor; `make fuzz` runs them (see run.py)."""
