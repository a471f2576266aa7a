"""Local stand-ins for outside services (GitHub, arXiv, Redis), served over real HTTP on loopback."""

import socket


def free_port() -> int:
    """A loopback port nobody listens on right now (for a server started as another process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
