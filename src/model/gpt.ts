// The tiny GPT: learned token + position embeddings, L pre-LayerNorm blocks (causal multi-head
// self-attention, GELU MLP), a final LayerNorm and an output head (optionally tied to the embedding).
import type { GraphBuilder, Tensor } from './graph.ts';
import {
  add,
  embedding,
  gelu,
  layerNorm,
  matmul,
  reshape,
  scale,
  softmax,
  split,
  swapLast,
  transpose,
} from './ops.ts';
import { FEED } from './io-names.ts';
import { flatLayout, paramList, type ModelSpec } from './spec.ts';

export type Params = Record<string, Tensor>;

/** Declare every parameter as a graph input, in paramList order. */
export function declareParams(g: GraphBuilder, spec: ModelSpec): Params {
  const P: Params = {};
  for (const p of paramList(spec)) P[p.name] = g.param(p.name, p.shape);
  return P;
}

/**
 * Split `x` [N] into pieces of `sizes`, at most `fan` per Split node: WebGPU kernels bind every
 * input and output as a storage buffer and a shader stage may have as few as 10, so a model's
 * 30-odd parameters are cut out in two levels (groups, then members). The backward pass is the
 * mirror image: Concats of at most `fan` inputs.
 */
function splitFlat(g: GraphBuilder, x: Tensor, sizes: readonly number[], fan = 8): Tensor[] {
  if (sizes.length <= fan) return split(g, x, 0, sizes);
  const groups: number[][] = [];
  for (let i = 0; i < sizes.length; i += fan) groups.push(sizes.slice(i, i + fan));
  const parts = splitFlat(
    g,
    x,
    groups.map((grp) => grp.reduce((a, b) => a + b, 0)),
    fan,
  );
  return groups.flatMap((grp, i) => (grp.length === 1 ? [parts[i]!] : split(g, parts[i]!, 0, grp)));
}

/**
 * Declare one flat parameter vector `params` [N] (flatLayout order) and view it as the named
 * parameters (Splits, then a Reshape each). Its gradient comes back as one flat vector (a Split's
 * backward concatenates), so the optimiser updates all parameters with a handful of nodes.
 */
export function declareFlatParams(g: GraphBuilder, spec: ModelSpec): { P: Params; flat: Tensor } {
  const layout = flatLayout(spec);
  const flat = g.param(FEED.params, [layout.total]);
  const pieces = splitFlat(
    g,
    flat,
    layout.entries.map((e) => e.size),
  );
  const P: Params = {};
  layout.entries.forEach((e, i) => (P[e.name] = reshape(g, pieces[i]!, e.shape)));
  return { P, flat };
}

const get = (P: Params, name: string): Tensor => {
  const t = P[name];
  if (!t) throw new Error(`missing parameter ${name}`);
  return t;
};

/** x [.., Din] · W [Din, Dout] + b, as one 2-D MatMul so the weight gradient is a single xᵀ·d. */
function linear(g: GraphBuilder, x: Tensor, W: Tensor, b: Tensor): Tensor {
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, c) => a * c, 1);
  const y = add(g, matmul(g, reshape(g, x, [rows, x.shape.at(-1)!]), W), b); // [rows, Dout]
  return reshape(g, y, [...lead, W.shape[1]!]);
}

/**
 * Causal self-attention over the window. When `kv` is given, each layer's keys and values
 * [B, H, T, Dh] are pushed onto it (keys, then values): the cache a decode step continues from.
 */
function attention(g: GraphBuilder, spec: ModelSpec, P: Params, p: string, h: Tensor, kv?: Tensor[]): Tensor {
  const [B, T, D] = h.shape as [number, number, number];
  const H = spec.heads;
  const Dh = D / H;
  const qkv = linear(g, h, get(P, p + 'w_qkv'), get(P, p + 'b_qkv')); // [B, T, 3D]
  const heads = transpose(g, reshape(g, qkv, [B, T, 3, H, Dh]), [2, 0, 3, 1, 4]); // [3, B, H, T, Dh]
  const [q, k, v] = split(g, heads, 0, [1, 1, 1]).map((t) => reshape(g, t, [B, H, T, Dh]));
  kv?.push(k!, v!);
  // The scale goes on q (T·Dh values) rather than on the scores (T·T); the causal mask is an added
  // −1e9 above the diagonal (an Add broadcasts cheaply where a Where with a broadcast condition is
  // slow on the CPU), whose softmax weights and gradients are exactly 0 as with a masked fill.
  const scores = matmul(g, scale(g, q!, 1 / Math.sqrt(Dh)), swapLast(g, k!)); // [B, H, T, T]
  const causal = g.constant(
    Array.from({ length: T * T }, (_, i) => (i % T <= Math.floor(i / T) ? 0 : -1e9)),
    [T, T],
  );
  const att = softmax(g, add(g, scores, causal)); // [B, H, T, T]
  const y = reshape(g, transpose(g, matmul(g, att, v!), [0, 2, 1, 3]), [B, T, D]); // [B, T, D]
  return linear(g, y, get(P, p + 'w_o'), get(P, p + 'b_o'));
}

/** The block's MLP: GELU between two linear maps. */
const mlp = (g: GraphBuilder, P: Params, p: string, h: Tensor): Tensor =>
  linear(
    g,
    gelu(g, linear(g, h, get(P, p + 'w_fc'), get(P, p + 'b_fc'))),
    get(P, p + 'w_proj'),
    get(P, p + 'b_proj'),
  );

/**
 * The residual stream after all blocks, before the final LayerNorm: ids [B, T] → [B, T, D]. With
 * `kv`, every layer's keys and values are collected (see attention).
 */
export function trunk(g: GraphBuilder, spec: ModelSpec, P: Params, ids: Tensor, kv?: Tensor[]): Tensor {
  let x = add(g, embedding(g, get(P, 'tok_emb'), ids), get(P, 'pos_emb')); // [B, T, D]
  for (let l = 0; l < spec.layers; l++) {
    const p = `h${l}.`;
    x = add(g, x, attention(g, spec, P, p, layerNorm(g, x, get(P, p + 'ln1_g'), get(P, p + 'ln1_b')), kv));
    x = add(g, x, mlp(g, P, p, layerNorm(g, x, get(P, p + 'ln2_g'), get(P, p + 'ln2_b'))));
  }
  return x;
}

/**
 * One decode step of the same model: token ids [B] at window positions pos [B]; `past` holds each
 * layer's keys and values [B, H, T, Dh] (keys, then values, layer by layer) for positions
 * 0 … pos − 1 of the row's window. Each position attends over those slots and over its own new key
 * and value. Returns the residual stream [B, D] and, per layer, the new key and value [B, H, Dh]
 * (`fresh`); with `presentNames`, also the caches with slot pos written (ScatterND, emitted under
 * those names: the GPU keeps its caches this way, the CPU backends write the fresh rows in place).
 * Forward only.
 */
export function stepTrunk(
  g: GraphBuilder,
  spec: ModelSpec,
  P: Params,
  ids: Tensor,
  pos: Tensor,
  past: readonly Tensor[],
  presentNames?: readonly string[],
): { x: Tensor; fresh: Tensor[]; present: Tensor[] } {
  const [B] = ids.shape as [number];
  const { contextLength: T, dModel: D, heads: H } = spec;
  const Dh = D / H;
  const gather = (W: Tensor, at: Tensor) => g.op('Gather', [W, at], [B, D], { attrs: { axis: 0 } });
  let x = g.op('Add', [gather(get(P, 'tok_emb'), ids), gather(get(P, 'pos_emb'), pos)], [B, D]);
  // Additive mask over [cached slots 0 … T − 1, the new position]: 0 on slots < pos[b] and on the
  // new position, −1e9 elsewhere.
  const slots = g.constant(
    [...Array(T + 1).keys()].map((j) => (j < T ? j : -1)),
    [1, T + 1],
    'int32',
  );
  const seen = g.op('Less', [slots, reshape(g, pos, [B, 1])], [B, T + 1], { dtype: 'bool' });
  const self = g.constant(
    [...Array(T + 1).keys()].map((j) => (j === T ? 1 : 0)),
    [1, T + 1],
    'bool',
  );
  const open = g.op('Or', [seen, self], [B, T + 1], { dtype: 'bool' });
  const mask = reshape(g, g.op('Where', [open, g.scalar(0), g.scalar(-1e9)], [B, T + 1]), [B, 1, T + 1]);
  const at = presentNames ? writeIndex(g, B, H, pos) : undefined;
  const fresh: Tensor[] = [];
  const present: Tensor[] = [];
  for (let l = 0; l < spec.layers; l++) {
    const p = `h${l}.`;
    const h = layerNorm(g, x, get(P, p + 'ln1_g'), get(P, p + 'ln1_b'));
    const qkv = linear(g, h, get(P, p + 'w_qkv'), get(P, p + 'b_qkv')); // [B, 3D]
    const heads = transpose(g, reshape(g, qkv, [B, 3, H, Dh]), [1, 0, 2, 3]); // [3, B, H, Dh]
    const [q, k, v] = split(g, heads, 0, [1, 1, 1]).map((t) => reshape(g, t, [B, H, Dh])) as [
      Tensor,
      Tensor,
      Tensor,
    ];
    const [pastK, pastV] = [past[2 * l]!, past[2 * l + 1]!];
    fresh.push(k, v);
    if (presentNames && at)
      [pastK, pastV].forEach((cache, i) =>
        present.push(
          g.op('ScatterND', [cache, at, [k, v][i]!], [B, H, T, Dh], { name: presentNames[2 * l + i]! }),
        ),
      );
    // Scores over the cache as K·q [B, H, T, 1] (no transpose of the cache), then the new position's.
    const cached = reshape(g, g.op('MatMul', [pastK, reshape(g, q, [B, H, Dh, 1])], [B, H, T, 1]), [B, H, T]);
    const own = g.reduce('ReduceSum', g.op('Mul', [k, q], [B, H, Dh]), { axes: [-1] }); // [B, H, 1]
    const scores = g.op('Concat', [cached, own], [B, H, T + 1], { attrs: { axis: -1 } });
    const scaled = g.op('Mul', [scores, g.scalar(1 / Math.sqrt(Dh))], [B, H, T + 1]);
    const att = g.op('Softmax', [g.op('Add', [scaled, mask], [B, H, T + 1])], [B, H, T + 1], {
      attrs: { axis: -1 },
    });
    const [attCached, attOwn] = split(g, att, 2, [T, 1]) as [Tensor, Tensor];
    const fromCache = reshape(
      g,
      g.op('MatMul', [reshape(g, attCached, [B, H, 1, T]), pastV], [B, H, 1, Dh]),
      [B, H, Dh],
    );
    const y = reshape(g, g.op('Add', [fromCache, g.op('Mul', [attOwn, v], [B, H, Dh])], [B, H, Dh]), [B, D]);
    x = g.op('Add', [x, linear(g, y, get(P, p + 'w_o'), get(P, p + 'b_o'))], [B, D]);
    const h2 = layerNorm(g, x, get(P, p + 'ln2_g'), get(P, p + 'ln2_b'));
    x = g.op('Add', [x, mlp(g, P, p, h2)], [B, D]);
  }
  return { x, fresh, present };
}

/** ScatterND indices [B, H, 3] = (b, h, pos[b]): where each row's new key or value goes. */
function writeIndex(g: GraphBuilder, B: number, H: number, pos: Tensor): Tensor {
  const pos64 = g.cast(pos, 'int64');
  const rowHead = g.constant(
    Array.from({ length: B * H * 2 }, (_, i) => (i % 2 ? (i >> 1) % H : Math.floor(i / (2 * H)))),
    [B, H, 2],
    'int64',
  );
  const posAt = g.op('Expand', [reshape(g, pos64, [B, 1, 1]), g.ints([B, H, 1])], [B, H, 1], {
    dtype: 'int64',
  });
  return g.op('Concat', [rowHead, posAt], [B, H, 3], { attrs: { axis: -1 }, dtype: 'int64' });
}

/** Final LayerNorm and output head: x [N, D] → logits [N, V]. */
export function head(g: GraphBuilder, spec: ModelSpec, P: Params, x: Tensor): Tensor {
  const h = layerNorm(g, x, get(P, 'lnf_g'), get(P, 'lnf_b'));
  const W = spec.tieEmbeddings ? swapLast(g, get(P, 'tok_emb')) : get(P, 'w_head'); // [D, V]
  return matmul(g, h, W);
}
