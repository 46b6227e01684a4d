"""The generator behind the module-level functions (``ht.random.rand``, ``ht.random.seed``,
...). It is seeded on first use from rank 0's entropy, broadcast over the default
communicator (collective), unless :func:`seed` chose a seed first.

Examples
--------
>>> import heat as ht
>>> ht.random.seed(1)
>>> a = ht.random.rand(3)
>>> ht.random.seed(1)
>>> bool((ht.random.rand(3, split=0) == a).all())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .generator import Generator

__all__ = [
    "choice",
    "exponential",
    "get_state",
    "normal",
    "permutation",
    "rand",
    "randint",
    "randn",
    "random",
    "random_sample",
    "randperm",
    "ranf",
    "sample",
    "seed",
    "set_state",
    "shuffle",
    "standard_normal",
    "uniform",
]

_GLOBAL = Generator(_lazy=True)


def seed(seed: Any = None, comm: Any = None) -> None:
    """Seed the global generator (an int in [0, 2**64); None: fresh entropy from rank 0,
    broadcast, collective) and rewind its stream.

    Examples
    --------
    >>> ht.random.seed(42)
    >>> ht.random.get_state()[:3]
    ('Threefry', 42, 0)
    """
    _GLOBAL.seed(seed, comm)


def get_state() -> tuple[str, int, int, int, float]:
    """The global generator's state, ``("Threefry", seed, position, 0, 0.0)``."""
    return _GLOBAL.get_state()


def set_state(state: Sequence[Any]) -> None:
    """Restore the global generator's state from :func:`get_state`."""
    _GLOBAL.set_state(state)


rand = _GLOBAL.rand
randn = _GLOBAL.randn
random = _GLOBAL.random
random_sample = _GLOBAL.random_sample
ranf = _GLOBAL.ranf
sample = _GLOBAL.sample
standard_normal = _GLOBAL.standard_normal
normal = _GLOBAL.normal
uniform = _GLOBAL.uniform
exponential = _GLOBAL.exponential
randint = _GLOBAL.randint
choice = _GLOBAL.choice
permutation = _GLOBAL.permutation
randperm = _GLOBAL.randperm
shuffle = _GLOBAL.shuffle
