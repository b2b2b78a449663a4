// The graph builder's helpers against the ONNX schema, read back from the encoded bytes with
// onnx-proto: dtype codes, Cast targets, attribute kinds and reduction shapes.
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ONNX_DTYPE_CODE, type DType } from '../../src/model/dtype.ts';
import { GraphBuilder } from '../../src/model/graph.ts';
import { floatAttr } from '../../src/model/onnx-encode.ts';

const { onnx } = onnxProto;
const decode = (g: GraphBuilder) => onnx.ModelProto.decode(g.toBytes()).graph!;

describe('graph builder', () => {
  it("names each element type by ONNX's TensorProto.DataType code", () => {
    const D = onnx.TensorProto.DataType;
    const expected: Record<DType, number> = {
      float32: D.FLOAT,
      float64: D.DOUBLE,
      int32: D.INT32,
      int64: D.INT64,
      bool: D.BOOL,
    };
    expect(ONNX_DTYPE_CODE).toEqual(expected);
  });

  it('cast writes Cast with `to` = the target code and gives a value of that type', () => {
    const g = new GraphBuilder('float64');
    const x = g.input('x', [2, 3], 'int32');
    const outs = (['int64', 'bool', 'float64'] as const).map((to) => g.output(g.cast(x, to), `as_${to}`));
    expect(outs.map((t) => [t.dtype, t.shape])).toEqual([
      ['int64', [2, 3]],
      ['bool', [2, 3]],
      ['float64', [2, 3]],
    ]);
    const graph = decode(g);
    const casts = graph.node!.filter((n) => n.opType === 'Cast');
    expect(casts.map((n) => [n.attribute![0]!.name, Number(n.attribute![0]!.i)])).toEqual([
      ['to', onnx.TensorProto.DataType.INT64],
      ['to', onnx.TensorProto.DataType.BOOL],
      ['to', onnx.TensorProto.DataType.DOUBLE],
    ]);
    const D = onnx.TensorProto.DataType;
    expect(graph.output!.map((o) => o.type!.tensorType!.elemType)).toEqual([D.INT64, D.BOOL, D.DOUBLE]);
  });

  it('writes plain numbers as INT, arrays as INTS, strings as STRING and floatAttr as FLOAT', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [4]);
    g.op('Custom', [x], [4], { attrs: { n: -1, ns: [0, 2], s: 'add', f: floatAttr(1e-5) } });
    const [n, ns, s, f] = decode(g).node![0]!.attribute!;
    const T = onnx.AttributeProto.AttributeType;
    expect([n!.type, Number(n!.i)]).toEqual([T.INT, -1]);
    expect([ns!.type, ns!.ints!.map(Number)]).toEqual([T.INTS, [0, 2]]);
    expect([s!.type, new TextDecoder().decode(s!.s!)]).toEqual([T.STRING, 'add']);
    expect(f!.type).toBe(T.FLOAT);
    expect(f!.f).toBeCloseTo(1e-5, 12);
  });

  it('refuses a non-integer plain number (a FLOAT attribute must say so)', () => {
    const g = new GraphBuilder();
    g.op('Custom', [g.input('x', [1])], [1], { attrs: { epsilon: 1e-5 } });
    expect(() => g.toBytes()).toThrow(/epsilon = 0.00001: an INT attribute; write floatAttr/);
  });

  it('reduce: ReduceSum takes its axes as an input, the others as an attribute; shapes follow keepdims', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [2, 3, 4]);
    expect(g.reduce('ReduceSum', x, { axes: [-1] }).shape).toEqual([2, 3, 1]);
    expect(g.reduce('ReduceMax', x, { axes: [0, 2], keepdims: false }).shape).toEqual([3]);
    expect(g.reduce('ReduceSumSquare', x, { keepdims: false }).shape).toEqual([]);
    expect(g.reduce('ReduceMean', x).shape).toEqual([1, 1, 1]);
    const nodes = decode(g).node!;
    const attrs = (i: number) =>
      Object.fromEntries(
        nodes[i]!.attribute!.map((a) => [a.name, a.ints?.length ? a.ints.map(Number) : Number(a.i)]),
      );
    expect(nodes.map((n) => [n.opType, n.input!.length])).toEqual([
      ['ReduceSum', 2],
      ['ReduceMax', 1],
      ['ReduceSumSquare', 1],
      ['ReduceMean', 1],
    ]);
    expect([attrs(0), attrs(1), attrs(2), attrs(3)]).toEqual([
      { keepdims: 1 },
      { axes: [0, 2], keepdims: 0 },
      { keepdims: 0 },
      { keepdims: 1 },
    ]);
  });
});
