"""Run `wrk --latency` and read its report into numbers."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
LATENCY = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
REQUESTS = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.MULTILINE)
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")


@dataclass
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def parse_wrk(output: str) -> WrkResult:
    """The figures of a `wrk --latency` report; ValueError if it is not one."""
    latencies = {int(p): float(value) * UNITS_MS[unit] for p, value, unit in LATENCY.findall(output)}
    requests, rate = REQUESTS.search(output), RATE.search(output)
    if not requests or not rate or 50 not in latencies or 99 not in latencies:
        raise ValueError(f"not a wrk --latency report:\n{output}")
    socket = SOCKET_ERRORS.search(output)
    non_2xx = NON_2XX.search(output)
    return WrkResult(
        requests=int(requests.group(1)),
        requests_per_second=float(rate.group(1)),
        p50_ms=latencies[50],
        p99_ms=latencies[99],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def run_wrk(
    url: str, *, seconds: int, connections: int = 16, threads: int = 2, headers: dict[str, str] | None = None
) -> WrkResult:
    sent = [argument for name, value in (headers or {}).items() for argument in ("-H", f"{name}: {value}")]
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            *sent,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(completed.stdout)
