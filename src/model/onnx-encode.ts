// Serialises a built graph to ONNX ModelProto bytes with onnx-proto (protobufjs underneath).
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { ONNX_DTYPE_CODE, type DType } from './dtype.ts';

const { onnx } = onnxProto;
type AttributeProto = OnnxTypes.IAttributeProto;
type ValueInfoProto = OnnxTypes.IValueInfoProto;
type ModelProto = OnnxTypes.IModelProto;

/** A float attribute (see AttrValue). */
export interface FloatAttr {
  readonly float: number;
}

/**
 * An attribute value: a plain number is an INT attribute (it must be an integer), an array of
 * numbers INTS, a string STRING; a FLOAT attribute is written floatAttr(v).
 */
export type AttrValue = number | readonly number[] | string | FloatAttr;

export const floatAttr = (v: number): FloatAttr => ({ float: v });

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
  if (typeof a === 'number') {
    if (!Number.isInteger(a))
      throw new Error(`attribute ${name} = ${a}: an INT attribute; write floatAttr(${a})`);
    return { name, type: T.INT, i: a };
  }
  if (typeof a === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(a) };
  if ('float' in a) return { name, type: T.FLOAT, f: a.float };
  return { name, type: T.INTS, ints: [...a] };
}

const valueInfo = (t: { name: string; shape: readonly number[]; dtype: DType }): ValueInfoProto => ({
  name: t.name,
  type: {
    tensorType: { elemType: ONNX_DTYPE_CODE[t.dtype], shape: { dim: t.shape.map((d) => ({ dimValue: d })) } },
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
        dataType: ONNX_DTYPE_CODE[c.dtype],
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
