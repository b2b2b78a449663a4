// An ONNX graph builder with tape-based reverse-mode autodiff.
//
// Every op emits standard ONNX nodes (opset 17) and, when one of its inputs needs a gradient,
// records a backward rule on a tape. `backward(loss, params)` walks the tape in reverse and emits
// the backward pass as more plain ONNX nodes, so forward, backward and optimiser update all live in
// one graph that onnxruntime (WebGPU, WASM or Node) runs like any inference model.
import { ONNX_DTYPE_CODE, type DType, type FloatDType } from './dtype.ts';
import { encodeModel, type AttrValue } from './onnx-encode.ts';

/** A symbolic tensor: a named value in the graph with a static shape. */
export interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** True when a gradient must flow back through this value. */
  requiresGrad: boolean;
}

/** Given the gradients of an op's outputs (undefined where none flows), return its inputs' gradients. */
export type BackwardRule = (gradOutputs: (Tensor | undefined)[]) => (Tensor | null)[];

/** What a node has besides its inputs and outputs. */
export interface NodeOptions {
  /** ONNX attributes, in the order they are written (see AttrValue). */
  attrs?: Record<string, AttrValue>;
  /** The gradient rule, recorded when an input needs a gradient. */
  backward?: BackwardRule;
}

/** One output of a node. */
export interface OutputSpec {
  shape: readonly number[];
  /** The builder's float type when omitted. */
  dtype?: DType;
  /** A fresh name when omitted (a graph output's name otherwise). */
  name?: string;
}

/** The options of a single-output node: the node's and its output's. */
export type OpOptions = NodeOptions & Omit<OutputSpec, 'shape'>;

/** The reductions over axes; ReduceSum takes its axes as an input in opset 17, the others as an attribute. */
export type ReduceOp = 'ReduceSum' | 'ReduceSumSquare' | 'ReduceMax' | 'ReduceMean';

export interface ReduceOptions {
  /** The axes to reduce (negative ones count from the end); every axis when omitted. */
  axes?: readonly number[];
  /** Keep the reduced axes as size 1 (default true). */
  keepdims?: boolean;
  backward?: BackwardRule;
}

interface TapeEntry {
  inputs: (Tensor | null)[];
  outputs: Tensor[];
  backward: BackwardRule;
}

interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, AttrValue>;
}

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** NumPy-style broadcast of two shapes; throws on a mismatch. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(x, y));
  }
  return out;
}

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly inputs: Tensor[] = [];
  readonly outputs: Tensor[] = [];
  private readonly initializers: { name: string; dims: number[]; dtype: DType; data: ArrayBufferView }[] = [];
  private readonly tape: TapeEntry[] = [];
  private readonly constants = new Map<string, Tensor>();
  private counter = 0;
  private recording = true;

  /** `float` is the dtype of every floating tensor: float32 to run, float64 for gradient checks. */
  constructor(readonly float: FloatDType = 'float32') {}

  private uid(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, shape: readonly number[], dtype: DType = this.float): Tensor {
    const t: Tensor = { name, shape: [...shape], dtype, requiresGrad: false };
    this.inputs.push(t);
    return t;
  }

  /** A trainable input: gradients are taken with respect to it. */
  param(name: string, shape: readonly number[]): Tensor {
    const t = this.input(name, shape);
    t.requiresGrad = true;
    return t;
  }

  /** Expose `t` as a graph output called `name`. */
  output(t: Tensor, name: string): Tensor {
    const o = this.op('Identity', [t], t.shape, { dtype: t.dtype, name });
    this.outputs.push(o);
    return o;
  }

  /** Expose `t` itself as a graph output (no copy); `t` must have been emitted under its output name. */
  markOutput(t: Tensor): Tensor {
    this.outputs.push(t);
    return t;
  }

  /** A constant tensor, stored once per distinct value. */
  constant(values: readonly number[], shape: readonly number[], dtype: DType = this.float): Tensor {
    const key = `${dtype}|${shape.join(',')}|${values.join(',')}`;
    const hit = this.constants.get(key);
    if (hit) return hit;
    let data: ArrayBufferView;
    if (dtype === 'int64') data = BigInt64Array.from(values, (v) => BigInt(v));
    else if (dtype === 'float64') data = Float64Array.from(values);
    else if (dtype === 'float32') data = Float32Array.from(values);
    else if (dtype === 'int32') data = Int32Array.from(values);
    else data = Uint8Array.from(values);
    const t: Tensor = { name: this.uid('const'), shape: [...shape], dtype, requiresGrad: false };
    this.initializers.push({ name: t.name, dims: [...shape], dtype, data });
    this.constants.set(key, t);
    return t;
  }

  scalar(v: number): Tensor {
    return this.constant([v], []);
  }

  /** A 1-D int64 constant (axes, shapes). */
  ints(v: readonly number[]): Tensor {
    return this.constant(v, [v.length], 'int64');
  }

  /** Emit one ONNX node (a null input is an omitted optional one). */
  emit(
    opType: string,
    inputs: (Tensor | null)[],
    outputSpecs: readonly OutputSpec[],
    { attrs = {}, backward }: NodeOptions = {},
  ): Tensor[] {
    const outputs: Tensor[] = outputSpecs.map(({ shape, dtype, name }) => ({
      name: name ?? this.uid(opType),
      shape: [...shape],
      dtype: dtype ?? this.float,
      requiresGrad: false,
    }));
    this.nodes.push({
      opType,
      inputs: inputs.map((t) => (t ? t.name : '')),
      outputs: outputs.map((o) => o.name),
      name: this.uid(`n_${opType}`),
      attributes: attrs,
    });
    if (this.recording && backward && inputs.some((t) => t?.requiresGrad)) {
      for (const o of outputs) o.requiresGrad = true;
      this.tape.push({ inputs, outputs, backward });
    }
    return outputs;
  }

  /** Emit a single-output node whose output has `shape`. */
  op(opType: string, inputs: (Tensor | null)[], shape: readonly number[], options: OpOptions = {}): Tensor {
    const { dtype, name, ...node } = options;
    return this.emit(opType, inputs, [{ shape, dtype, name }], node)[0]!;
  }

  /** `x` converted to element type `to` (not differentiated). */
  cast(x: Tensor, to: DType): Tensor {
    return this.op('Cast', [x], x.shape, { attrs: { to: ONNX_DTYPE_CODE[to] }, dtype: to });
  }

  /** Reduce `x` over some or all axes (see ReduceOptions). */
  reduce(op: ReduceOp, x: Tensor, { axes, keepdims = true, backward }: ReduceOptions = {}): Tensor {
    const rank = x.shape.length;
    const reduced = (i: number) => !axes || axes.some((a) => (a < 0 ? a + rank : a) === i);
    const shape = keepdims
      ? x.shape.map((d, i) => (reduced(i) ? 1 : d))
      : x.shape.filter((_, i) => !reduced(i));
    const keep = keepdims ? 1 : 0;
    if (op === 'ReduceSum')
      return this.op(op, axes ? [x, this.ints(axes)] : [x], shape, {
        attrs: { keepdims: keep },
        dtype: x.dtype,
        backward,
      });
    return this.op(op, [x], shape, {
      attrs: axes ? { axes, keepdims: keep } : { keepdims: keep },
      dtype: x.dtype,
      backward,
    });
  }

  /**
   * Attach a backward rule to values already built from `inputs` by non-recorded nodes (a fused
   * gradient, e.g. softmax cross-entropy's p − onehot). Marks `outputs` as needing gradients.
   */
  recordBackward(inputs: (Tensor | null)[], outputs: Tensor[], backward: BackwardRule): void {
    if (!this.recording || !inputs.some((t) => t?.requiresGrad)) return;
    for (const o of outputs) o.requiresGrad = true;
    this.tape.push({ inputs, outputs, backward });
  }

  /**
   * Reverse pass from a scalar `loss`: emits the backward nodes and returns d loss / d p for each
   * param (a zero tensor where the loss does not depend on p).
   */
  backward(loss: Tensor, params: readonly Tensor[]): Map<string, Tensor> {
    if (loss.shape.length !== 0) throw new Error(`backward needs a scalar loss, got shape [${loss.shape}]`);
    this.recording = false;
    const grads = new Map<string, Tensor>([[loss.name, this.scalar(1)]]);
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const entry = this.tape[i]!;
      const gradOutputs = entry.outputs.map((o) => grads.get(o.name));
      if (gradOutputs.every((g) => g === undefined)) continue;
      const gradInputs = entry.backward(gradOutputs);
      entry.inputs.forEach((input, j) => {
        const gi = gradInputs[j];
        if (!input || !input.requiresGrad || !gi) return;
        if (!sameShape(gi.shape, input.shape))
          throw new Error(`gradient of ${input.name} has shape [${gi.shape}], expected [${input.shape}]`);
        const prev = grads.get(input.name);
        grads.set(input.name, prev ? this.op('Add', [prev, gi], input.shape) : gi);
      });
    }
    this.recording = true;
    return new Map(params.map((p) => [p.name, grads.get(p.name) ?? this.zerosLike(p)] as [string, Tensor]));
  }

  zerosLike(t: Tensor): Tensor {
    return this.op('Expand', [this.scalar(0), this.ints(t.shape)], t.shape);
  }

  /** Serialise to ONNX ModelProto bytes. */
  toBytes(): Uint8Array {
    return encodeModel({
      opset: 17,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
    });
  }

  /** Count of nodes per op type (for reports and tests). */
  opCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const n of this.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
    return counts;
  }
}
