"""wrk drives the throughput figures (bench.wrk): every request line is sent, distinct lines stay
distinct across wrk's threads, statuses and latency percentiles come back, and the CPU each
process spent is divided by the requests done."""

from __future__ import annotations

import os
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.wrk import CpuMeter, Request, parse_output, run_wrk

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")


class Seen:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[tuple[str, str, bytes]] = Counter()


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # wrk closes its connections mid-request when its time is up


@pytest.fixture
def server() -> Iterator[tuple[str, Seen]]:
    seen = Seen()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status: int) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with seen.lock:
                seen.requests[(self.command, self.path, body)] += 1
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self.answer(409 if self.path == "/taken" else 200)

        def do_POST(self) -> None:
            self.answer(201)

        def log_message(self, *args: object) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_each_request_line_is_sent_with_its_method_path_and_body(server: tuple[str, Seen]) -> None:
    url, seen = server
    lines = [Request("POST", f"/book/{i}", f'{{"n":{i}}}') for i in range(6)] + [Request("GET", "/read")]
    result = run_wrk(url, lines, connections=2, seconds=1, headers={"Content-Type": "application/json"})
    sent = {key for key in seen.requests}
    assert {("POST", f"/book/{i}", f'{{"n":{i}}}'.encode()) for i in range(6)} <= sent
    assert ("GET", "/read", b"") in sent
    # the server may have taken a last request whose answer wrk no longer waited for
    assert 0 < result.requests <= sum(seen.requests.values())


def test_two_threads_take_the_lines_in_turn_so_a_line_is_sent_once_per_pass(server: tuple[str, Seen]) -> None:
    url, seen = server
    lines = [Request("POST", f"/slot/{i}", "{}") for i in range(100_000)]  # more than a second can send
    run_wrk(url, lines, connections=4, seconds=1, threads=2)
    assert seen.requests and max(seen.requests.values()) == 1


def test_answers_other_than_2xx_are_counted_apart(server: tuple[str, Seen]) -> None:
    url, _ = server
    result = run_wrk(url, [Request("GET", "/ok"), Request("GET", "/taken")], connections=1, seconds=1, threads=1)
    assert result.statuses.keys() == {200, 409}
    assert result.non_2xx == result.statuses[409] > 0
    assert result.ok == result.statuses[200]


def test_cpu_per_request_is_reported_for_each_process_and_for_wrk(server: tuple[str, Seen]) -> None:
    url, _ = server
    result = run_wrk(url, [Request("GET", "/ok")], connections=2, seconds=1, processes={"server": [os.getpid()]})
    assert set(result.cpu_ms_per_op) == {"server", "wrk"}
    assert result.cpu_ms_per_op["server"] > 0  # the handler threads run in this process
    assert result.cpu_ms_total == result.cpu_ms_per_op["server"]
    assert result.p50_ms <= result.p95_ms <= result.p99_ms <= result.max_ms


def test_a_meter_counts_only_the_cpu_spent_between_start_and_stop() -> None:
    meter = CpuMeter({"me": [os.getpid()]})
    meter.start()
    sum(i * i for i in range(2_000_000))
    spent = meter.stop()["me"]
    assert 0 < spent < 10


def test_wrk_output_without_the_summary_line_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="no summary"):
        parse_output("Running 1s test @ http://x\n", 1)
