"""The benchmark's one table (Markdown), and the machine it ran on, written to var/bench/."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil


@dataclass
class Row:
    section: str
    measure: str
    result: str
    target: str = ""
    met: bool | None = None


def machine(postgres_version: str) -> dict:
    """Where the figures come from: date, CPU, cores, memory, OS, Python, PostgreSQL."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    os_name = platform.platform()
    try:
        release = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        )
        os_name = f"{release.get('PRETTY_NAME', '').strip(chr(34))} (Linux {platform.release()})"
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": os_name,
        "python": platform.python_version(),
        "postgresql": postgres_version,
    }


def markdown_table(rows: list[Row]) -> str:
    lines = ["| | Benchmark | Result | Target | Met |", "|---|---|---|---|---|"]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        cells = [row.section, row.measure, row.result, row.target, met]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def machine_line(info: dict) -> str:
    return (
        f"{info['date']} on {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, {info['os']}, "
        f"Python {info['python']}, PostgreSQL {info['postgresql']}"
    )


def write_results(
    directory: Path, *, rows: list[Row], info: dict, details: str, figures: dict
) -> tuple[Path, Path]:
    """results.md (the table, the machine, then the details such as the query plans) and results.json."""
    directory.mkdir(parents=True, exist_ok=True)
    markdown = directory / "results.md"
    markdown.write_text(
        f"# make bench\n\n{machine_line(info)}\n\n{markdown_table(rows)}\n\n{details}".rstrip() + "\n",
        encoding="utf-8",
    )
    data = directory / "results.json"
    data.write_text(
        json.dumps(
            {"machine": info, "rows": [row.__dict__ for row in rows], "figures": figures},
            indent=2,
            default=str,
        )
        + "\n",
        encoding="utf-8",
    )
    return markdown, data
