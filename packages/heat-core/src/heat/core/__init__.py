"""heat.core: the DNDarray and the NumPy-style API on it.

The public names are re-exported by ``heat`` (``import heat as ht; ht.zeros(...)``); this
module groups them by category, one private module each.
"""

from __future__ import annotations

from . import (
    array_api,
    communication,
    devices,
    differences,
    elementwise,
    factories,
    histograms,
    indexing,
    layout,
    manipulation,
    moments,
    nanfunctions,
    printing,
    redistribution,
    reductions,
    sets,
    sorting,
    statistics,
    types,
)
from .array_api import *  # noqa: F403
from .array_api import __all__ as _array_api_all
from .communication import Communicator, get_comm, sanitize_comm, use_comm
from .devices import Device, cpu, get_device, gpu, use_device
from .differences import diff
from .dndarray import DNDarray
from .elementwise import *  # noqa: F403
from .elementwise import __all__ as _elementwise_all
from .factories import (
    arange,
    array,
    asarray,
    empty,
    empty_like,
    eye,
    from_dlpack,
    full,
    full_like,
    identity,
    linspace,
    logspace,
    meshgrid,
    ones,
    ones_like,
    zeros,
    zeros_like,
)
from .histograms import bincount, digitize, histogram, histogram_bin_edges
from .indexing import *  # noqa: F403
from .indexing import __all__ as _indexing_all
from .layout import Partial, Replicate, Split
from .manipulation import *  # noqa: F403
from .manipulation import __all__ as _manipulation_all
from .moments import corrcoef, cov, kurtosis, skew
from .nanfunctions import average, nanmax, nanmean, nanmin, nanprod, nanstd, nansum, nanvar
from .printing import global_printing, local_printing, print0
from .redistribution import align, balance, get_halo, redistribute, resplit
from .reductions import *  # noqa: F403
from .reductions import __all__ as _reductions_all
from .sets import *  # noqa: F403
from .sets import __all__ as _sets_all
from .sorting import *  # noqa: F403
from .sorting import __all__ as _sorting_all
from .statistics import median, percentile, quantile
from .types import (
    DType,
    bfloat16,
    bool_,
    byte,
    can_cast,
    cdouble,
    cfloat,
    complex64,
    complex128,
    complexfloating,
    double,
    finfo,
    float16,
    float32,
    float64,
    floating,
    generic,
    half,
    iinfo,
    inexact,
    int8,
    int16,
    int32,
    int64,
    integer,
    issubdtype,
    long,
    number,
    promote_types,
    result_type,
    short,
    signedinteger,
    ubyte,
    uint8,
    unsignedinteger,
)
from .types import bool as bool

__all__ = [  # noqa: PLE0604
    # arrays and layouts
    "DNDarray",
    "Partial",
    "Replicate",
    "Split",
    # communication
    "Communicator",
    "get_comm",
    "sanitize_comm",
    "use_comm",
    # devices
    "Device",
    "cpu",
    "get_device",
    "gpu",
    "use_device",
    # dtypes
    "DType",
    "bfloat16",
    "bool",
    "bool_",
    "byte",
    "can_cast",
    "cdouble",
    "cfloat",
    "complex64",
    "complex128",
    "complexfloating",
    "double",
    "finfo",
    "float16",
    "float32",
    "float64",
    "floating",
    "generic",
    "half",
    "iinfo",
    "inexact",
    "int8",
    "int16",
    "int32",
    "int64",
    "integer",
    "issubdtype",
    "long",
    "number",
    "promote_types",
    "result_type",
    "short",
    "signedinteger",
    "ubyte",
    "uint8",
    "unsignedinteger",
    # creation
    "arange",
    "array",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "from_dlpack",
    "full",
    "full_like",
    "identity",
    "linspace",
    "logspace",
    "meshgrid",
    "ones",
    "ones_like",
    "zeros",
    "zeros_like",
    # redistribution
    "align",
    "balance",
    "get_halo",
    "redistribute",
    "resplit",
    # printing
    "global_printing",
    "local_printing",
    "print0",
    # modules
    "communication",
    "devices",
    "factories",
    "layout",
    "printing",
    "redistribution",
    "types",
    "elementwise",
    "differences",
    "diff",
    "nanfunctions",
    "reductions",
    "statistics",
    "histograms",
    "moments",
    "bincount",
    "digitize",
    "histogram",
    "histogram_bin_edges",
    "corrcoef",
    "cov",
    "kurtosis",
    "skew",
    "median",
    "percentile",
    "quantile",
    "average",
    "nanmax",
    "nanmean",
    "nanmin",
    "nanprod",
    "nanstd",
    "nansum",
    "nanvar",
    *_elementwise_all,
    *_reductions_all,
    "array_api",
    *_array_api_all,
    "indexing",
    "manipulation",
    "sets",
    "sorting",
    *_indexing_all,
    *_manipulation_all,
    *_sets_all,
    *_sorting_all,
]
