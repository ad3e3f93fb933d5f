"""The bundled model as ONNX files, exported once from its own safetensors (never a hub).

`ensure_exported` writes `.data/models/<model>-<fingerprint>-onnx/model.onnx` (fp32) and, when
asked, `model_qint8_<preset>.onnx` (weights int8, activations quantized at run time), under a
file lock so concurrent first loads (API and indexer, parallel tests) export once. Later loads
only check that the files exist. The fingerprint follows the source weights and the recipe, so
a new model package or a changed recipe lands in a new directory instead of reusing stale files.
The paths and the fingerprint are core/model_paths.py's.

`python -m core.onnx_model` exports both ahead of time (`make setup` runs it).
"""

from __future__ import annotations

import fcntl
import os
import platform
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.model_paths import MODELS_DIR, bundled_model_path, export_dir, quantized_name
from core.settings import PROJECT_ROOT

OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    match = re.search(r"^(?:flags|Features)\s*:(.*)$", text, re.MULTILINE)
    return set(match.group(1).split()) if match else set()


def quantization_preset(flags: set[str], machine: str = "") -> str:
    """Which int8 recipe suits this CPU (the presets of sentence-transformers/optimum).
    VNNI and plain AVX-512 multiply u8 activations by s8 weights without saturating; AVX2
    without VNNI can saturate on u8s8, so it gets u8 weights."""
    if machine.lower() in ("aarch64", "arm64"):
        return "arm64"
    if "avx512_vnni" in flags:
        return "avx512_vnni"
    if {"avx512f", "avx512bw"} <= flags:
        return "avx512"
    return "avx2"


def local_preset() -> str:
    return quantization_preset(cpu_flags(), platform.machine())


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_exported(source: Path, *, quantized: bool, root: Path = MODELS_DIR) -> Path:
    """The path of the ONNX file for `source` (fp32, or int8 for this CPU), exported if absent."""
    directory = export_dir(source, root)
    fp32 = directory / "model.onnx"
    target = directory / quantized_name(local_preset()) if quantized else fp32
    if target.exists():
        return target
    with _locked(directory):
        if not fp32.exists():
            _export_fp32(source, fp32)
        if quantized and not target.exists():
            _quantize(fp32, target, local_preset())
    return target


def _atomic(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _export_fp32(source: Path, out: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # no "Loading weights" bar in make's output
    # eager attention traces to plain MatMul/Softmax, which onnxruntime fuses into its own
    # Attention kernel; the SDPA path traces to shape-dependent branches
    model = AutoModel.from_pretrained(str(source), local_files_only=True, attn_implementation="eager").eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    tmp = _atomic(out)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about constants that do not vary here
        torch.onnx.export(
            LastHiddenState(model),
            (sample, sample, torch.zeros_like(sample)),
            str(tmp),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
    os.replace(tmp, out)


def _quantize(fp32: Path, out: Path, preset: str) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    weights = QuantType.QUInt8 if preset == "avx2" else QuantType.QInt8
    tmp = _atomic(out)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quiet its "consider pre-processing" hint, for this call only
    try:
        quantize_dynamic(
            fp32,
            tmp,
            per_channel=True,
            reduce_range=False,
            weight_type=weights,
            op_types_to_quantize=["MatMul", "Gather"],
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)
    os.replace(tmp, out)


def main() -> None:
    source = bundled_model_path()
    for quantized in (False, True):
        path = ensure_exported(source, quantized=quantized)
        print(f"{path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path}")


if __name__ == "__main__":
    main()
