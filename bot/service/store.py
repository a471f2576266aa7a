"""Huey's two storages, plus leases (a named lock with an owner that expires unless renewed) and
indexes (a named set of members, each with a score, read in score order).

Why leases in the queue store: the workers that must agree (one job per pull request at a time)
may run on several machines, and the only thing they all share is the store. A lease, not a plain
lock, because a holder can die (SIGKILL, OOM, a lost host) or lose the store mid-job: whatever
happens to it, the lease runs out ``ttl`` seconds after its last renewal and the work comes back.

The same five operations on both backends, each one atomic there: SQLite runs each in one
``begin exclusive`` transaction on Huey's own connection, Redis uses ``SET NX PX`` and small Lua
scripts (compare the owner, then act), and Redis's clock decides expiry, so machines never compare
their clocks. An index is what Huey's key/value store lacks for reading a few records without
reading them all: the journal keeps the deliveries still waiting, the ones not done, the metrics
and the status page's reviews in indexes (a sorted set on Redis, a table with an index on SQLite).
:meth:`now` is the store's clock (Redis ``TIME``; on SQLite, which one machine holds,
that machine's): every time the queue writes for other processes to read, and every comparison with
one, is on it, so a worker whose clock is off judges no other worker dead.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from huey.api import Huey
from huey.storage import RedisStorage, SqliteStorage

from bot.settings import Settings


class WalSqliteStorage(SqliteStorage):
    """Huey's SQLite storage with WAL and synchronous=NORMAL, and a lease table.

    WAL + NORMAL: a commit survives the process being killed (what the queue promises: a 2xx
    delivery is never lost when the service dies), without an fsync per commit, which put the
    receiver's p99 over 25 ms. A power cut may lose the last commits; deployments that must survive
    one use Redis with AOF, or several machines."""

    ddl: ClassVar[list[str]] = [
        *SqliteStorage.ddl,
        "create table if not exists lease (queue text not null, name text not null, "
        "owner text not null, expires real not null, primary key(queue, name))",
        "create table if not exists idx (queue text not null, name text not null, member text not null, "
        "score real not null, primary key(queue, name, member))",
        "create index if not exists idx_score on idx (queue, name, score)",
    ]

    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn

    def now(self) -> float:
        """The store's clock: the file is on this machine, so this machine's."""
        return time.time()

    def acquire_lease(self, name: str, owner: str, ttl: float) -> bool:
        """Take the lease if it is free or expired (or already ours); True when we hold it."""
        now = time.time()
        with self.db(commit=True) as curs:
            curs.execute(
                "insert into lease (queue, name, owner, expires) values (?, ?, ?, ?) "
                "on conflict(queue, name) do update set owner = excluded.owner, expires = excluded.expires "
                "where lease.expires <= ? or lease.owner = excluded.owner",
                (self.name, name, owner, now + ttl, now),
            )
            return curs.rowcount == 1

    def lease_holder(self, name: str) -> str | None:
        rows = self.sql(
            "select owner from lease where queue = ? and name = ? and expires > ?",
            (self.name, name, time.time()),
            results=True,
        )
        return rows[0][0] if rows else None

    def renew_lease(self, name: str, owner: str, ttl: float) -> bool:
        return self._update(
            "update lease set expires = ? where queue = ? and name = ? and owner = ?",
            (time.time() + ttl, self.name, name, owner),
        )

    def take_over_lease(self, name: str, old: str, new: str, ttl: float) -> bool:
        """Replace the holder ``old`` (known dead) by ``new``, if ``old`` still holds it."""
        return self._update(
            "update lease set owner = ?, expires = ? where queue = ? and name = ? and owner = ?",
            (new, time.time() + ttl, self.name, name, old),
        )

    def release_lease(self, name: str, owner: str) -> None:
        self._update("delete from lease where queue = ? and name = ? and owner = ?", (self.name, name, owner))

    def _update(self, query: str, params: tuple) -> bool:
        with self.db(commit=True) as curs:
            curs.execute(query, params)
            return curs.rowcount == 1

    def index_add(self, name: str, member: str, score: float) -> None:
        self.sql(
            "insert or replace into idx (queue, name, member, score) values (?, ?, ?, ?)",
            (self.name, name, member, score),
            commit=True,
        )

    def index_remove(self, name: str, member: str) -> None:
        self.sql(
            "delete from idx where queue = ? and name = ? and member = ?", (self.name, name, member), True
        )

    def index_range(self, name: str, limit: int, newest: bool = False) -> list[tuple[str, float]]:
        """Up to ``limit`` members by score, lowest first (``newest``: highest first)."""
        order = "desc" if newest else "asc"
        rows = self.sql(
            f"select member, score from idx where queue = ? and name = ? order by score {order} limit ?",
            (self.name, name, limit),
            results=True,
        )
        return [(m, float(score)) for m, score in rows]

    def flush_results(self) -> None:
        super().flush_results()
        self.sql("delete from idx where queue = ?", (self.name,), commit=True)


_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_TAKE_OVER = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3]) "
    "return 1 end return 0"
)
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LeaseRedisStorage(RedisStorage):
    """Huey's Redis storage with leases as plain keys that expire (``huey.lease.<queue>.<name>``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._renew = self.conn.register_script(_RENEW)
        self._take_over = self.conn.register_script(_TAKE_OVER)
        self._release = self.conn.register_script(_RELEASE)

    def now(self) -> float:
        """The store's clock, the same for every machine: Redis ``TIME``."""
        seconds, micros = self.conn.time()
        return seconds + micros / 1e6

    def _lease_key(self, name: str) -> str:
        return f"huey.lease.{self.name}.{name}"

    def acquire_lease(self, name: str, owner: str, ttl: float) -> bool:
        key = self._lease_key(name)
        if self.conn.set(key, owner, nx=True, px=_ms(ttl)):
            return True
        return bool(self._renew(keys=[key], args=[owner, _ms(ttl)]))  # already ours: renewed

    def lease_holder(self, name: str) -> str | None:
        raw = self.conn.get(self._lease_key(name))
        return None if raw is None else raw.decode()

    def renew_lease(self, name: str, owner: str, ttl: float) -> bool:
        return bool(self._renew(keys=[self._lease_key(name)], args=[owner, _ms(ttl)]))

    def take_over_lease(self, name: str, old: str, new: str, ttl: float) -> bool:
        return bool(self._take_over(keys=[self._lease_key(name)], args=[old, new, _ms(ttl)]))

    def release_lease(self, name: str, owner: str) -> None:
        self._release(keys=[self._lease_key(name)], args=[owner])

    def _index_key(self, name: str) -> str:
        return f"huey.index.{self.name}.{name}"

    def index_add(self, name: str, member: str, score: float) -> None:
        self.conn.zadd(self._index_key(name), {member: score})

    def index_remove(self, name: str, member: str) -> None:
        self.conn.zrem(self._index_key(name), member)

    def index_range(self, name: str, limit: int, newest: bool = False) -> list[tuple[str, float]]:
        """Up to ``limit`` members by score, lowest first (``newest``: highest first)."""
        rows = self.conn.zrange(self._index_key(name), 0, limit - 1, desc=newest, withscores=True)
        return [(m.decode(), float(score)) for m, score in rows]

    def flush_results(self) -> None:
        super().flush_results()
        for key in self.conn.scan_iter(match=self._index_key("*")):
            self.conn.delete(key)


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def make_huey(settings: Settings, name: str = "awesome-review") -> Huey:
    """RedisHuey when REDIS_URL is set, else SqliteHuey in ``data_dir/queue.db`` (created here)."""
    if settings.redis_url:
        from redis import ConnectionPool

        # Timeouts: an unreachable Redis must give a 503 well inside GitHub's 10 s, not hang.
        pool = ConnectionPool.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
        return Huey(name, results=False, storage_class=LeaseRedisStorage, connection_pool=pool)
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    return Huey(
        name, results=False, storage_class=WalSqliteStorage, filename=str(data_dir / "queue.db"), timeout=3
    )
