"""Thin I/O adapters: the only places that import requests, PyGithub, redis or sqlite."""
