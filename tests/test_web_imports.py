"""Web workers never load spaCy: every page and the upload view only enqueue work, so a web process stays
small and starts fast. Checked in a fresh interpreter, since the test process itself has spaCy loaded."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

LOAD_THE_WEB_APP = """
import sys
from claimtracker.wsgi import application
from django.urls import get_resolver

def walk(patterns):
    for pattern in patterns:
        walk(getattr(pattern, "url_patterns", []))  # imports every view module

walk(get_resolver().url_patterns)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("spacy", "thinc"))
print(" ".join(loaded[:5]) or "none")
"""


def test_the_web_application_does_not_import_spacy():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "claimtracker.settings",
        # Nothing here connects; a URL keeps the settings from starting the embedded server.
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", LOAD_THE_WEB_APP],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"
