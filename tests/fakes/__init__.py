"""Local stand-ins for outside services (arXiv), served over real HTTP on loopback for the tests."""
