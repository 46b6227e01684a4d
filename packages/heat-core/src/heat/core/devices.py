"""Devices: where a DNDarray's local tensors live.

``ht.cpu`` and ``ht.gpu`` are the two device kinds. A GPU is CUDA or ROCm (both appear as
``cuda`` in torch) or Apple's MPS; under MPI each rank takes one GPU, chosen from its rank
among the processes of its node (``local rank % GPUs on the node``).
"""

from __future__ import annotations

import os

import torch

__all__ = ["Device", "cpu", "get_device", "gpu", "sanitize_device", "use_device"]

_LOCAL_RANK_VARS = (
    "OMPI_COMM_WORLD_LOCAL_RANK",
    "MPI_LOCALRANKID",
    "PMI_LOCAL_RANK",
    "MV2_COMM_WORLD_LOCAL_RANK",
    "SLURM_LOCALID",
    "PALS_LOCAL_RANKID",
)


class Device:
    """A device kind (``"cpu"`` or ``"gpu"``) and the torch device it maps to on this rank.

    Examples
    --------
    >>> import heat as ht
    >>> ht.cpu
    device(cpu)
    >>> ht.cpu.torch_device
    'cpu'
    """

    __slots__ = ("_torch", "device_id", "device_type")

    def __init__(self, device_type: str, device_id: int = 0, torch_device: str | None = None) -> None:
        self.device_type = device_type
        self.device_id = device_id
        self._torch = torch_device

    @property
    def torch_device(self) -> str:
        """The torch device string for this rank (``"cpu"``, ``"cuda:1"``, ``"mps"``)."""
        if self._torch is None:
            self._torch = _pick_gpu()
        return self._torch

    def __repr__(self) -> str:
        return f"device({self})"

    def __str__(self) -> str:
        return self.device_type if self.device_type == "cpu" else f"{self.device_type}:{self.device_id}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Device):
            return self.device_type == other.device_type
        if isinstance(other, str | torch.device):
            kind = (other.type if isinstance(other, torch.device) else other).split(":")[0].lower()
            return _KINDS.get(kind) == self.device_type
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.device_type)


# every spelling of a device kind: torch's device types and Heat's names
_KINDS = {"cpu": "cpu", "gpu": "gpu", "cuda": "gpu", "mps": "gpu", "rocm": "gpu", "hip": "gpu"}


def _gpu_available() -> bool:
    return torch.cuda.is_available() or (
        getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    )


def _local_rank() -> int:
    for var in _LOCAL_RANK_VARS:
        value = os.environ.get(var)
        if value is not None and value.isdigit():
            return int(value)
    return 0


def _pick_gpu() -> str:
    if torch.cuda.is_available():
        return f"cuda:{_local_rank() % torch.cuda.device_count()}"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    raise RuntimeError(
        "device 'gpu' was requested but torch finds no CUDA, ROCm or MPS device on this node; "
        "use device='cpu' (or install a GPU build of torch)"
    )


cpu = Device("cpu", 0, "cpu")
gpu = Device("gpu", 0, None)
_default = cpu


def sanitize_device(device: Device | str | torch.device | None) -> Device:
    """The :class:`Device` meant by ``device`` (``None``: the default, see :func:`use_device`).

    Accepts ``ht.cpu``/``ht.gpu``, the strings ``"cpu"``, ``"gpu"``, ``"cuda"``, ``"cuda:0"``,
    ``"mps"`` and torch devices.

    Examples
    --------
    >>> sanitize_device("cpu")
    device(cpu)
    """
    if device is None:
        return _default
    if isinstance(device, Device):
        chosen = device
    else:
        kind = (device.type if isinstance(device, torch.device) else str(device)).split(":")[0].lower()
        if kind not in _KINDS:
            raise ValueError(f"device {device!r} is not known; use 'cpu' or 'gpu'")
        chosen = cpu if _KINDS[kind] == "cpu" else gpu
    if chosen is gpu and not _gpu_available():
        raise RuntimeError(
            f"device {device!r} was requested but torch finds no CUDA, ROCm or MPS device on this "
            "node; use device='cpu'"
        )
    return chosen


def use_device(device: Device | str | None = None) -> None:
    """Make ``device`` the default for new arrays (``None``: back to the CPU).

    Examples
    --------
    >>> use_device("cpu")
    """
    global _default
    _default = cpu if device is None else sanitize_device(device)


def get_device() -> Device:
    """The default device of new arrays."""
    return _default


def of_tensor(t: torch.Tensor) -> Device:
    """The Heat device a torch tensor lives on."""
    return cpu if t.device.type == "cpu" else gpu
