#!/usr/bin/env python3
"""PyTorch (CPU) peer for `npm run bench`.

Builds the same tiny GPT as Ouroboros' ONNX engine, trains it on random tokens
and samples from it, and prints ONE JSON line with tokens/s and the settings
that affect them (BLAS library, thread counts, measured matmul GFLOP/s).

Usage:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 src/bench/torch/peer_torch.py '{"vocabSize":512, ...}'
    echo '{...}' | OPENBLAS_NUM_THREADS=1 /usr/bin/python3 src/bench/torch/peer_torch.py

Spec fields (JSON, as in src/model/spec.ts plus benchmark settings):
    vocabSize V, contextLength T, layers L, dModel D, heads H, dFF F, batchSize B,
    tieEmbeddings, beta1, beta2, eps, learningRate, weightDecay, gradClip, initStd,
    steps, warmup, sampleBatch, sampleSteps, threads
  generateRows (256), generateTokens (64): cached decoding, as the engine's generate(): that many
    prompts continued by that many tokens each, from a KV cache (see time_generation).
  optional: seed (0), interopThreads (torch default), sampleWarmup (min(5, sampleSteps)),
    warmupMinSeconds (0): after `warmup` steps, keep running untimed steps until this much time has passed.
    rounds (1): repeat the timed `steps` / `sampleSteps` this many times (after one warmup) and
      report the best round as *TokensPerSec and the median as *TokensPerSecMedian; the rates of
      all rounds go in *Rounds. Best-of-N is robust to other load on a shared machine.
    sdpa (true): also time training with F.scaled_dot_product_attention, where torch has it.

Diagnostics go to stderr; stdout carries only the JSON line.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULTS = {
    "tieEmbeddings": False,
    "beta1": 0.9,
    "beta2": 0.95,
    "eps": 1e-8,
    "learningRate": 3e-4,
    "weightDecay": 0.1,
    "gradClip": 1.0,
    "initStd": 0.02,
    "steps": 20,
    "warmup": 3,
    "sampleBatch": 8,
    "sampleSteps": 32,
    "threads": 2,
    "seed": 0,
    "rounds": 1,
    "sdpa": True,
    "generateRows": 256,
    "generateTokens": 64,
}


def read_spec() -> dict:
    if len(sys.argv) > 1 and sys.argv[1].strip():
        arg = sys.argv[1]
        text = open(arg).read() if os.path.isfile(arg) else arg
    else:
        text = sys.stdin.read()
    spec = dict(DEFAULTS)
    spec.update(json.loads(text))
    for k in ("vocabSize", "contextLength", "layers", "dModel", "heads", "dFF", "batchSize"):
        if k not in spec:
            raise SystemExit(f"peer_torch: spec is missing {k}")
    if spec["dModel"] % spec["heads"]:
        raise SystemExit("peer_torch: dModel must be divisible by heads")
    for k in ("steps", "sampleSteps", "sampleBatch", "rounds", "threads", "generateRows", "generateTokens"):
        if not (isinstance(spec[k], int) and spec[k] >= 1):
            raise SystemExit(f"peer_torch: {k} must be an integer >= 1, got {spec[k]!r}")
    if "sampleWarmup" not in spec:
        spec["sampleWarmup"] = min(5, spec["sampleSteps"])
    return spec


class Block(nn.Module):
    """Pre-LN block: x + attn(LN1(x)); x + mlp(LN2(x)). Attention written out explicitly."""

    def __init__(self, T: int, D: int, H: int, Fh: int, use_sdpa: bool = False):
        super().__init__()
        self.H, self.hd, self.use_sdpa = H, D // H, use_sdpa
        self.ln1 = nn.LayerNorm(D, eps=1e-5)
        self.qkv = nn.Linear(D, 3 * D, bias=True)
        self.o = nn.Linear(D, D, bias=True)
        self.ln2 = nn.LayerNorm(D, eps=1e-5)
        self.fc = nn.Linear(D, Fh, bias=True)
        self.proj = nn.Linear(Fh, D, bias=True)
        self.register_buffer("causal", torch.ones(T, T, dtype=torch.bool).triu(1), persistent=False)

    def attn(self, x: torch.Tensor) -> torch.Tensor:
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)
        q = q.view(B, T, self.H, self.hd).transpose(1, 2)  # [B, H, T, hd]
        k = k.view(B, T, self.H, self.hd).transpose(1, 2)
        v = v.view(B, T, self.H, self.hd).transpose(1, 2)
        if self.use_sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            s = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.hd))  # [B, H, T, T]
            s = s.masked_fill(self.causal[:T, :T], float("-inf"))
            y = torch.softmax(s, dim=-1) @ v
        y = y.transpose(1, 2).reshape(B, T, D)
        return self.o(y)

    def forward_kv(self, x: torch.Tensor, past):
        """x [B, t, D] after the cached positions `past` = (k, v) [B, H, P, hd] (or None): returns the
        new residual stream and the cache with these t positions appended (torch.cat, as a KV cache does)."""
        B, t, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q = q.view(B, t, self.H, self.hd).transpose(1, 2)
        k = k.view(B, t, self.H, self.hd).transpose(1, 2)
        v = v.view(B, t, self.H, self.hd).transpose(1, 2)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        s = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.hd))  # [B, H, t, P + t]
        if t > 1:  # a prefill: causal within the new positions (past is None then)
            s = s.masked_fill(self.causal[:t, :t], float("-inf"))
        y = (torch.softmax(s, dim=-1) @ v).transpose(1, 2).reshape(B, t, D)
        x = x + self.o(y)
        x = x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))
        return x, (k, v)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        x = x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))
        return x


class GPT(nn.Module):
    def __init__(self, s: dict, use_sdpa: bool = False):
        super().__init__()
        V, T, L, D, H, Fh = (s[k] for k in ("vocabSize", "contextLength", "layers", "dModel", "heads", "dFF"))
        self.tok = nn.Embedding(V, D)
        self.pos = nn.Embedding(T, D)
        self.blocks = nn.ModuleList(Block(T, D, H, Fh, use_sdpa) for _ in range(L))
        self.lnf = nn.LayerNorm(D, eps=1e-5)
        self.tied = bool(s["tieEmbeddings"])
        self.head = None if self.tied else nn.Linear(D, V, bias=False)
        # Same initialisation as src/model/spec.ts: N(0, initStd²) for matrices and embeddings,
        # residual projections (o, proj) scaled by 1/sqrt(2L), LayerNorm 1/0, biases 0.
        std = s["initStd"]
        resid = std / math.sqrt(2 * L)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if p.dim() >= 2:
                    p.normal_(0.0, resid if name.endswith(("o.weight", "proj.weight")) else std)
                elif "ln" in name and name.endswith("weight"):
                    p.fill_(1.0)
                else:
                    p.zero_()

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        T = idx.shape[1]
        x = self.tok(idx) + self.pos.weight[:T]
        for b in self.blocks:
            x = b(x)
        x = self.lnf(x)
        return x @ self.tok.weight.t() if self.tied else self.head(x)


    def forward_kv(self, idx: torch.Tensor, start: int, past):
        """Logits of the last of the positions idx [B, t] (window positions start … start + t − 1) and
        every layer's cache, continuing `past` (None for a prefill)."""
        t = idx.shape[1]
        x = self.tok(idx) + self.pos.weight[start : start + t]
        caches = []
        for i, b in enumerate(self.blocks):
            x, kv = b.forward_kv(x, None if past is None else past[i])
            caches.append(kv)
        x = self.lnf(x[:, -1])
        return (x @ self.tok.weight.t() if self.tied else self.head(x)), caches


def window_start(n: int, T: int) -> int:
    """First token the model sees of a context of n tokens: strides of T/2 (src/model/window.ts)."""
    if n <= T:
        return 0
    S = max(1, T // 2)
    return -(-(n - T) // S) * S


def make_optimizer(model: nn.Module, s: dict) -> torch.optim.Optimizer:
    # Weight decay on 2-D weight matrices and embeddings only; none on LayerNorm gains and biases.
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": s["weightDecay"]},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=s["learningRate"],
        betas=(s["beta1"], s["beta2"]),
        eps=s["eps"],
    )


def time_training(s: dict, use_sdpa: bool) -> tuple[list[float], float]:
    torch.manual_seed(s["seed"])
    V, T, B = s["vocabSize"], s["contextLength"], s["batchSize"]
    model = GPT(s, use_sdpa)
    model.train()
    opt = make_optimizer(model, s)
    n = min(s["warmup"] + s["rounds"] * s["steps"], 256)  # cycle through at most 256 batches
    data = torch.randint(0, V, (n, B, T + 1), dtype=torch.long)
    clip = s["gradClip"]

    def step(i: int) -> float:
        x, y = data[i, :, :T], data[i, :, 1:]
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(B * T, V), y.reshape(B * T))
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    # `warmup` untimed steps, continued until `warmupMinSeconds` have passed (default 0).
    i, t_end = 0, time.perf_counter() + float(s.get("warmupMinSeconds") or 0)
    while i < s["warmup"] or time.perf_counter() < t_end:
        step(i % n)
        i += 1
    rates, loss = [], float("nan")
    for r in range(s["rounds"]):
        t0 = time.perf_counter()
        for i in range(s["steps"]):
            loss = step((s["warmup"] + r * s["steps"] + i) % n)  # data cycles; timing is unaffected
        rates.append(s["steps"] * B * T / (time.perf_counter() - t0))
    return rates, loss


def time_sampling(s: dict) -> list[float]:
    torch.manual_seed(s["seed"] + 1)
    V, T, SB = s["vocabSize"], s["contextLength"], s["sampleBatch"]
    model = GPT(s)
    model.eval()
    ctx = torch.randint(0, V, (SB, T), dtype=torch.long)

    def step(ctx: torch.Tensor) -> torch.Tensor:
        # Full forward over the T-token window (no KV cache), like our engine.
        logits = model(ctx)
        probs = torch.softmax(logits[:, -1, :], dim=-1)
        nxt = torch.multinomial(probs, 1)
        return torch.cat([ctx[:, 1:], nxt], dim=1)  # slide the window

    with torch.no_grad():
        for _ in range(s["sampleWarmup"]):
            ctx = step(ctx)
        rates = []
        for _ in range(s["rounds"]):
            t0 = time.perf_counter()
            for _ in range(s["sampleSteps"]):
                ctx = step(ctx)
            rates.append(s["sampleSteps"] * SB / (time.perf_counter() - t0))
    return rates


def time_generation(s: dict) -> list[float]:
    """Cached decoding as the engine's generate(): `generateRows` prompts of min(8, T) tokens each
    continued by `generateTokens` tokens, one position per step from the KV cache, the window
    re-run (prefill) whenever it slides (every T/2 tokens past T)."""
    torch.manual_seed(s["seed"] + 2)
    V, T = s["vocabSize"], s["contextLength"]
    R, N = s["generateRows"], s["generateTokens"]
    model = GPT(s)
    model.eval()
    prompts = torch.randint(0, V, (R, min(8, T)), dtype=torch.long)

    def generate() -> None:
        seq, start = prompts, 0
        logits, past = model.forward_kv(seq, 0, None)
        for i in range(N):
            nxt = torch.multinomial(torch.softmax(logits, dim=-1), 1)
            seq = torch.cat([seq, nxt], dim=1)
            if i == N - 1:
                break
            n = seq.shape[1]
            s0 = window_start(n, T)
            if s0 != start:
                start = s0
                logits, past = model.forward_kv(seq[:, s0:], 0, None)
            else:
                logits, past = model.forward_kv(nxt, n - 1 - start, past)

    with torch.no_grad():
        generate()  # warm-up
        rates = []
        for _ in range(s["rounds"]):
            t0 = time.perf_counter()
            generate()
            rates.append(R * N / (time.perf_counter() - t0))
    return rates


def matmul_gflops(n: int = 512, reps: int = 10, rounds: int = 5) -> float:
    """Best-of-`rounds` GFLOP/s of an n×n float32 matmul loop (with torch's current threads)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    best = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            a @ b
        best = max(best, 2 * n**3 * reps / (time.perf_counter() - t0) / 1e9)
    return best


def blas_info() -> tuple[str, list[str], str]:
    """(short name, BLAS/LAPACK libraries mapped into this process, torch BLAS_INFO)."""
    torch.randn(64, 64) @ torch.randn(64, 64)  # make sure the BLAS is loaded
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                low = os.path.basename(path).lower()
                if path.startswith("/") and any(k in low for k in ("blas", "lapack", "mkl", "blis", "atlas")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    libs = sorted(libs)
    cfg = torch.__config__.show()
    info = next((p.split("=", 1)[1] for p in cfg.replace(",", " ").split() if p.startswith("BLAS_INFO=")), "?")
    joined = " ".join(libs).lower()
    if "mkl" in joined or info == "mkl":
        name = "mkl"
    elif "openblas" in joined:
        name = "openblas"
    elif "blis" in joined:
        name = "blis"
    elif "atlas" in joined:
        name = "atlas"
    elif "libblas" in joined:
        name = "reference"
    else:
        name = info
    return name, libs, info


def main() -> None:
    s = read_spec()
    if s.get("interopThreads"):
        torch.set_num_interop_threads(int(s["interopThreads"]))
    torch.set_num_threads(int(s["threads"]))

    blas, blas_libs, blas_info_cfg = blas_info()
    gflops = matmul_gflops()
    train_rates, final_loss = time_training(s, use_sdpa=False)
    sample_rates = time_sampling(s)
    generate_rates = time_generation(s)

    sdpa_rates = None
    sdpa_note = None
    if s.get("sdpa"):
        if hasattr(F, "scaled_dot_product_attention"):
            sdpa_rates, _ = time_training(s, use_sdpa=True)
        else:
            sdpa_note = f"F.scaled_dot_product_attention not in torch {torch.__version__}"

    r1 = lambda xs: [round(x, 1) for x in xs]
    out = {
        "trainTokensPerSec": round(max(train_rates), 1),
        "sampleTokensPerSec": round(max(sample_rates), 1),
        "trainTokensPerSecMedian": round(statistics.median(train_rates), 1),
        "sampleTokensPerSecMedian": round(statistics.median(sample_rates), 1),
        "generateTokensPerSec": round(max(generate_rates), 1),
        "generateTokensPerSecMedian": round(statistics.median(generate_rates), 1),
        "generateRounds": r1(generate_rates),
        "trainRounds": r1(train_rates),
        "sampleRounds": r1(sample_rates),
        "trainTokensPerSecSdpa": None if sdpa_rates is None else round(max(sdpa_rates), 1),
        "torchVersion": torch.__version__,
        "blas": blas,
        "blasLibs": blas_libs,
        "blasInfo": blas_info_cfg,
        "threads": torch.get_num_threads(),
        "interopThreads": torch.get_num_interop_threads(),
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "ompThreads": os.environ.get("OMP_NUM_THREADS"),
        "finalLoss": round(final_loss, 5) if math.isfinite(final_loss) else None,
        "gflops": round(gflops, 1),
        "attention": "explicit",
    }
    if sdpa_note:
        out["sdpaNote"] = sdpa_note
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
