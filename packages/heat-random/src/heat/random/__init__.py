"""heat.random: counter-based parallel random numbers, the same global array for any process count.

Every element is a pure function of (seed, its global index, the stream position), computed
by the rank that holds it (Threefry-4x32-20), so a seed gives the same array element by
element on 1, 2 or 1000 processes and for every split.

Examples
--------
>>> import heat as ht
>>> ht.random.seed(0)
>>> x = ht.random.randn(1000, 10, split=0)
>>> rng = ht.random.default_rng(5)  # an independent stream
>>> y = rng.integers(0, 100, size=(4, 4), split=1)
"""

from __future__ import annotations

from . import distributions, permutations, routing, streams, threefry
from .generator import Generator, default_rng
from .global_generator import (
    choice,
    exponential,
    get_state,
    normal,
    permutation,
    rand,
    randint,
    randn,
    random,
    random_sample,
    randperm,
    ranf,
    sample,
    seed,
    set_state,
    shuffle,
    standard_normal,
    uniform,
)

__all__: list[str] = [
    "Generator",
    "choice",
    "default_rng",
    "distributions",
    "exponential",
    "get_state",
    "normal",
    "permutation",
    "permutations",
    "rand",
    "randint",
    "randn",
    "random",
    "random_sample",
    "randperm",
    "ranf",
    "routing",
    "sample",
    "seed",
    "set_state",
    "shuffle",
    "standard_normal",
    "streams",
    "threefry",
    "uniform",
]
