"""Bounds on a repository's own config, checked where the job reads it, before it is merged.

A repository's ``.github/awesome-review.yml`` is untrusted input that a shared worker acts on: 20,000
``files`` and a 3,000-file pull request tied a worker up for 233 s. The config a list needs is a
few hundred bytes with a handful of files and sections, so these bounds are far above any real one
and far below what hurts. A config over a bound is an invalid config: the summary names the
problem (file, line, key) and the review follows the deployment's config, as for any other error.
"""

from __future__ import annotations

import yaml

from ..core.config.config import ConfigError

MAX_BYTES = 64 * 1024
MAX_LIST_ENTRIES = 500  # in any one list (files, sections, venues, labels ...)
MAX_NODES = 20_000  # values in the whole document, counting what YAML aliases repeat


def check(text: str, source: str) -> None:
    """Raise ConfigError when ``text`` is over a bound. Aliases are counted as often as they are
    used (a "billion laughs" document is small on disk and huge in memory), in linear time."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_BYTES:
        raise ConfigError(
            source, "", f"is {size:,} bytes; a repository's config may have at most {MAX_BYTES:,}"
        )
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # the config loader reports it, with its line
    sizes: dict[int, int] = {}

    def count(node: yaml.Node, key: str) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = 1  # a cycle counts once
        total = 1
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) > MAX_LIST_ENTRIES:
                line = node.start_mark.line + 1
                raise ConfigError(
                    source,
                    key,
                    f"has {len(node.value):,} entries; at most {MAX_LIST_ENTRIES} are allowed",
                    line,
                )
            total += sum(count(item, key) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(count(k, key) + count(v, f"{key}.{k.value}".lstrip(".")) for k, v in node.value)
        sizes[id(node)] = total
        if total > MAX_NODES:
            raise ConfigError(source, key, f"holds over {MAX_NODES:,} values", node.start_mark.line + 1)
        return total

    if root is not None:
        count(root, "")
