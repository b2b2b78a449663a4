// Serialises a built graph to ONNX ModelProto bytes with onnx-proto (protobufjs underneath).
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;
type AttributeProto = OnnxTypes.IAttributeProto;
type ValueInfoProto = OnnxTypes.IValueInfoProto;
type ModelProto = OnnxTypes.IModelProto;

/** Attribute values the builder uses. */
export type AttrValue =
  { int: number } | { float: number } | { ints: readonly number[] } | { string: string };

export const attr = {
  int: (v: number): AttrValue => ({ int: v }),
  float: (v: number): AttrValue => ({ float: v }),
  ints: (v: readonly number[]): AttrValue => ({ ints: v }),
  string: (v: string): AttrValue => ({ string: v }),
};

/** The element types the graphs use. */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

const ELEM_TYPE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

interface EncodeInput {
  opset: number;
  nodes: {
    opType: string;
    inputs: string[];
    outputs: string[];
    name: string;
    attributes: Record<string, AttrValue>;
  }[];
  initializers: { name: string; dims: number[]; dtype: DType; data: ArrayBufferView }[];
  inputs: { name: string; shape: readonly number[]; dtype: DType }[];
  outputs: { name: string; shape: readonly number[]; dtype: DType }[];
}

function attribute(name: string, a: AttrValue): AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in a) return { name, type: T.INT, i: a.int };
  if ('float' in a) return { name, type: T.FLOAT, f: a.float };
  if ('string' in a) return { name, type: T.STRING, s: new TextEncoder().encode(a.string) };
  return { name, type: T.INTS, ints: [...a.ints] };
}

const valueInfo = (t: { name: string; shape: readonly number[]; dtype: DType }): ValueInfoProto => ({
  name: t.name,
  type: {
    tensorType: { elemType: ELEM_TYPE[t.dtype], shape: { dim: t.shape.map((d) => ({ dimValue: d })) } },
  },
});

export function encodeModel(m: EncodeInput): Uint8Array {
  const model: ModelProto = {
    irVersion: 8,
    producerName: 'ouroboros',
    opsetImport: [{ domain: '', version: m.opset }],
    graph: {
      name: 'ouroboros',
      node: m.nodes.map((n) => ({
        opType: n.opType,
        input: n.inputs,
        output: n.outputs,
        name: n.name,
        attribute: Object.entries(n.attributes).map(([k, v]) => attribute(k, v)),
      })),
      initializer: m.initializers.map((c) => ({
        name: c.name,
        dims: c.dims,
        dataType: ELEM_TYPE[c.dtype],
        rawData: new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength),
      })),
      input: m.inputs.map(valueInfo),
      output: m.outputs.map(valueInfo),
    },
  };
  const problem = onnx.ModelProto.verify(model);
  if (problem) throw new Error(`invalid ONNX model: ${problem}`);
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
