"""GitHub App authentication: a JWT buys an installation token, cached per installation.

PyGithub's own ``AppInstallationAuth`` refreshes only 20 s before expiry, and its cache dies with the
``Github`` object; :class:`InstallationTokens` keeps each token until ``token_refresh_margin`` seconds
before it expires and is built once per process (bot.service.connections), shared by every job.
"""

from __future__ import annotations

import logging
import threading

from github import Auth, GithubIntegration

from bot.adapters.github_retry import ClientOptions, make_retry
from bot.adapters.http import bound_pygithub
from bot.settings import Settings

log = logging.getLogger(__name__)


class InstallationTokens:
    """Installation tokens of one GitHub App, cached per installation until ``token_refresh_margin``
    seconds before they expire. Create one per process and share it between adapters."""

    def __init__(self, settings: Settings, options: ClientOptions | None = None) -> None:
        if not (settings.github_app_id and settings.github_app_private_key):
            raise ValueError("GitHub App authentication needs GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY")
        self._settings = settings
        self._options = options or ClientOptions()
        app_id = settings.github_app_id
        self.app_id: int | str = int(app_id) if app_id.isdigit() else app_id
        self._app_auth = Auth.AppAuth(self.app_id, settings.github_app_private_key)
        self._integration: GithubIntegration | None = None
        self._login: str | None = None
        self._cache: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token(self, installation_id: int) -> str:
        """A valid token for the installation, asking GitHub only when the cached one is near expiry."""
        o = self._options
        with self._lock:
            hit = self._cache.get(installation_id)
            if hit is not None and hit[1] - o.token_refresh_margin > o.clock():
                return hit[0]
            grant = self._get_integration().get_access_token(installation_id)
            self._cache[installation_id] = (grant.token, grant.expires_at.timestamp())
            log.info("github: new installation token for %s", installation_id)
            return grant.token

    def bot_login(self) -> str:
        """The App's bot user, `<slug>[bot]`: the author of everything the App writes."""
        with self._lock:
            if self._login is None:
                self._login = f"{self._get_integration().get_app().slug}[bot]"
            return self._login

    def _get_integration(self) -> GithubIntegration:
        if self._integration is None:
            o = self._options
            self._integration = GithubIntegration(
                auth=self._app_auth,
                base_url=self._settings.github_api_url,
                timeout=o.timeout,
                user_agent=o.user_agent,
                retry=make_retry(o),
                seconds_between_requests=o.seconds_between_requests,
                seconds_between_writes=o.seconds_between_writes,
            )
            bound_pygithub(self._integration.requester, o.max_answer_bytes)
        return self._integration

    def forget(self, installation_id: int) -> None:
        """Drop a token GitHub no longer accepts (revoked, clock skew)."""
        with self._lock:
            self._cache.pop(installation_id, None)


class InstallationAuth(Auth.Auth):
    """PyGithub asks for the token on every request, so a refreshed token is used at once."""

    def __init__(self, tokens: InstallationTokens, installation_id: int) -> None:
        self._tokens = tokens
        self._installation_id = installation_id

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._tokens.token(self._installation_id)

    @property
    def _masked_token(self) -> str:
        return "token (installation token removed)"
