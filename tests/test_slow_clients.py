"""Slow clients do not starve the receiver (issue 19, item 10). Was: 8 slow connections took
gunicorn's 8 threads (the Procfile's web process), 120 took `serve`'s waitress past its 100
connections, and signed deliveries timed out behind them. Now `serve` and `web` share a front end
(bot/service/front.py) that reads requests in its event loop, holds thousands of connections and
cuts one whose request is not whole 10 s after its first byte. Real processes, real sockets; the
figure at thousands of clients, beside the old front ends, is bench/slow_clients.py."""

from __future__ import annotations

import socket
import time

import pytest

from bench.slow_clients import Receiver, SlowClients, deliver

pytestmark = pytest.mark.faults
DEADLINE = 10.0  # seconds from a request's first byte to its last (bot.service.front.DEADLINE)


@pytest.mark.parametrize("command", ["serve", "web"])
def test_300_slow_clients_do_not_starve_the_receiver(command: str, tmp_path) -> None:
    receiver = Receiver(command, None, tmp_path)
    slow = SlowClients(receiver.port, 300)
    try:
        slow.start()
        time.sleep(4)  # all 300 connected, each dripping a header byte every 2 s
        took = [deliver(receiver.port) for _ in range(3)]
        assert all(t is not None and t < 2 for t in took), took  # signed deliveries answered at once

        drip = socket.create_connection(("127.0.0.1", receiver.port), timeout=5)
        drip.sendall(b"POST /webhook HTTP/1.1\r\nHost: receiver\r\nX-Slow: ")
        started = time.monotonic()
        while not closed(drip) and time.monotonic() - started < DEADLINE + 10:
            try:
                drip.sendall(b"a")  # however steadily it sends ...
            except OSError:
                break
            time.sleep(0.5)
        assert closed(drip) and time.monotonic() - started < DEADLINE + 3  # ... it is cut off
    finally:
        slow.stop.set()
        slow.join(30)
        receiver.stop()


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
