"""Tests of heat.core.devices: device objects and spellings, the default device, moving arrays,
``device=`` on the factories; GPU-positive tests run only where torch sees a GPU."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import torch
from core_helpers import assert_eq

import heat as ht
from heat.core import devices

HAS_GPU = devices._gpu_available()
needs_gpu = pytest.mark.skipif(not HAS_GPU, reason="torch finds no GPU")
needs_no_gpu = pytest.mark.skipif(HAS_GPU, reason="a GPU is available")


@pytest.fixture
def restore_default_device() -> Iterator[None]:
    saved = ht.get_device()
    yield
    ht.use_device(saved)


def test_cpu_device_object():
    assert isinstance(ht.cpu, ht.Device)
    assert ht.cpu.device_type == "cpu"
    assert ht.cpu.torch_device == "cpu"
    assert str(ht.cpu) == "cpu"
    assert repr(ht.cpu) == "device(cpu)"


def test_device_equality_and_hash():
    assert ht.cpu == "cpu" and ht.cpu == "cpu:0"
    assert ht.cpu != ht.gpu
    assert ht.gpu == "gpu" and ht.gpu == "cuda" and ht.gpu == "cuda:1"
    assert ht.cpu != "cuda"
    assert ht.cpu == "CPU" and ht.cpu == torch.device("cpu")
    assert ht.gpu == "mps" and ht.gpu == "rocm" and ht.gpu == torch.device("cuda", 0)
    assert ht.cpu != torch.device("cuda") and ht.gpu != torch.device("cpu")
    assert ht.cpu != "tpu" and ht.gpu != "tpu"
    assert (ht.cpu == 3) is False
    assert hash(ht.cpu) == hash(devices.Device("cpu"))
    assert {ht.cpu: 1}[devices.Device("cpu", 0, "cpu")] == 1


@pytest.mark.parametrize("spelling", ["cpu", "CPU", "cpu:0", torch.device("cpu"), ht.cpu], ids=str)
def test_sanitize_device_cpu_spellings(spelling):
    assert devices.sanitize_device(spelling) is ht.cpu


def test_sanitize_device_none_is_the_default(restore_default_device):
    assert devices.sanitize_device(None) is ht.get_device()
    ht.use_device("cpu")
    assert devices.sanitize_device(None) is ht.cpu


@pytest.mark.parametrize("spelling", ["tpu", "xla:0", "", "gpux"])
def test_sanitize_device_unknown_raises_value_error(spelling):
    with pytest.raises(ValueError, match="not known"):
        devices.sanitize_device(spelling)


@needs_no_gpu
@pytest.mark.parametrize("spelling", ["gpu", "cuda", "cuda:0", "GPU", torch.device("cuda"), ht.gpu], ids=str)
def test_gpu_without_a_gpu_raises_runtime_error(spelling):
    with pytest.raises(RuntimeError, match="no CUDA, ROCm or MPS device"):
        devices.sanitize_device(spelling)
    with pytest.raises(RuntimeError, match="use device='cpu'"):
        ht.zeros(3, device=spelling)


@needs_no_gpu
def test_gpu_requests_without_a_gpu(restore_default_device):
    x = ht.arange(3, split=0)
    with pytest.raises(RuntimeError, match="no CUDA, ROCm or MPS device"):
        x.gpu()
    with pytest.raises(RuntimeError, match="no CUDA, ROCm or MPS device"):
        x.to_device("gpu")
    with pytest.raises(RuntimeError, match="no CUDA, ROCm or MPS device"):
        ht.use_device("gpu")
    with pytest.raises(RuntimeError, match="no CUDA, ROCm or MPS device"):
        ht.gpu.torch_device
    assert ht.get_device() is ht.cpu  # the failed use_device left the default alone


def test_use_device_and_get_device(restore_default_device):
    ht.use_device("cpu")
    assert ht.get_device() is ht.cpu
    x = ht.zeros((2, 3), split=1)
    assert x.device is ht.cpu and x.larray.device.type == "cpu"
    ht.use_device(None)
    assert ht.get_device() is ht.cpu
    ht.use_device(ht.cpu)
    assert ht.get_device() is ht.cpu


def test_cpu_and_to_device_on_a_cpu_array():
    x = ht.arange(6, split=0, device="cpu")
    assert x.cpu() is x
    assert x.to_device("cpu") is x
    assert x.to_device(ht.cpu) is x
    assert_eq(x.cpu(), np.arange(6))


FACTORIES = {
    "zeros": lambda d: ht.zeros((4, 2), split=0, device=d),
    "ones": lambda d: ht.ones(3, split=0, device=d),
    "empty": lambda d: ht.empty((2, 2), device=d),
    "full": lambda d: ht.full((3,), 2.5, split=0, device=d),
    "zeros_like": lambda d: ht.zeros_like(ht.zeros((3, 2), device="cpu"), device=d),
    "arange": lambda d: ht.arange(5, split=0, device=d),
    "linspace": lambda d: ht.linspace(0, 1, 5, split=0, device=d),
    "logspace": lambda d: ht.logspace(0, 1, 5, split=0, device=d),
    "eye": lambda d: ht.eye(3, split=1, device=d),
    "array": lambda d: ht.array([[1, 2], [3, 4]], split=0, device=d),
    "array-is_split": lambda d: ht.array(np.zeros((2, 2)), is_split=0, device=d),
    "asarray": lambda d: ht.asarray(np.zeros(3), device=d),
    "array-of-dndarray": lambda d: ht.array(ht.arange(3, device="cpu"), device=d),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_honour_device_cpu(name):
    for device in ("cpu", ht.cpu, torch.device("cpu")):
        x = FACTORIES[name](device)
        assert x.device is ht.cpu
        assert x.larray.device.type == "cpu"


# ------------------------------------------------------------------------------ with a GPU
@needs_gpu
@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_honour_device_gpu(name):
    x = FACTORIES[name]("gpu")
    assert x.device is ht.gpu
    assert x.larray.device.type != "cpu"


@needs_gpu
def test_round_trip_to_gpu_and_back(comm):
    data = np.arange(12.0).reshape(4, 3)
    x = ht.array(data, split=0, device="cpu")
    y = x.gpu()
    assert y.device is ht.gpu and y.larray.device.type != "cpu"
    assert y.counts == x.counts
    assert_eq(y, data)
    z = y.cpu()
    assert z.device is ht.cpu and z.larray.device.type == "cpu"
    assert_eq(z, data)
    assert str(ht.gpu).startswith("gpu")


@needs_gpu
def test_use_device_gpu_makes_gpu_the_default(restore_default_device):
    ht.use_device("gpu")
    x = ht.ones((3, 3), split=1)
    assert x.device is ht.gpu and x.larray.device.type != "cpu"
    assert_eq(x, np.ones((3, 3)))
