// Element types of graph values, by name, and their ONNX TensorProto.DataType codes.

/** The element types the graphs use. */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

/** The element type of a graph's floating values: float32 to run, float64 for gradient checks. */
export type FloatDType = 'float32' | 'float64';

/** ONNX TensorProto.DataType code of each element type (value infos, initializers, Cast's `to`). */
export const ONNX_DTYPE_CODE: Record<DType, number> = {
  float32: 1,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
};
