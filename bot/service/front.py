"""The receiver's HTTP front end, for ``serve`` and ``web`` alike: waitress, tuned for slow clients.

Why waitress: it reads every request whole in its event loop, and only a complete request reaches
one of its threads, so a client that sends slowly holds a socket, never a thread. gunicorn's
threaded worker (the Procfile's front end before) reads a request in the thread that serves it:
8 slow connections took its 8 threads and every signed delivery behind them timed out. waitress's
own defaults fall at 120: it stops accepting at 100 connections and keeps an idle one 120 s.

So the front end accepts up to ``CONNECTIONS`` connections (poll, not select, which stops at 1,024
descriptors; the process's descriptor limit raised to match), closes one silent for ``IDLE``
seconds, and closes one whose request is not whole ``DEADLINE`` seconds after its first byte
came, however steadily it drips. A slow client then costs a socket for seconds; holding the
receiver takes thousands of new connections every few seconds. ``bench/slow_clients.py`` measures it.
"""

from __future__ import annotations

import logging
import resource
from typing import Any

from waitress.adjustments import Adjustments
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

log = logging.getLogger(__name__)

THREADS = 8
CONNECTIONS = 4000
IDLE = 15  # seconds a connection may stay silent (before a request, or between two)
DEADLINE = 10.0  # seconds from a request's first byte to its last: GitHub sends a delivery at once


class _Receiver(TcpWSGIServer):
    """waitress's TCP server, whose periodic clean-up also ends requests that take too long."""

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # silent connections: adj.channel_timeout
        for channel in list(self.active_channels.values()):
            request = channel.request  # the request being read; None between requests
            if request is None or channel.requests:
                continue
            first_seen = getattr(request, "first_seen", None)
            if first_seen is None:
                request.first_seen = now
            elif now - first_seen > DEADLINE:
                log.info("closed a connection whose request was not whole after %.0fs", DEADLINE)
                channel.will_close = True


def make_server(app: Any, host: str, port: int, max_body: int) -> Any:
    """The front end for ``app`` on ``host:port`` (OSError when it cannot listen). Bodies over
    ``max_body`` are refused with 413 right after the headers, never buffered."""
    _raise_descriptor_limit(CONNECTIONS + 256)
    adj = Adjustments(
        host=host,
        port=port,
        threads=THREADS,
        connection_limit=CONNECTIONS,
        asyncore_use_poll=True,
        channel_timeout=IDLE,
        cleanup_interval=1,
        max_request_body_size=max_body,
    )
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    sockets: dict[int, Any] = {}
    servers = [_Receiver(app, sockets, dispatcher=dispatcher, adj=adj, sockinfo=info) for info in adj.listen]
    if len(servers) == 1:
        return servers[0]
    where = [(s.effective_host, s.effective_port) for s in servers]
    return MultiSocketServer(sockets, adj=adj, effective_listen=where, dispatcher=dispatcher)


def _raise_descriptor_limit(wanted: int) -> None:
    """One descriptor a connection: lift the soft limit towards the hard one (1,024 is common)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < wanted:
        log.warning("at most %d open files: fewer than %d connections can be held", target, wanted)
