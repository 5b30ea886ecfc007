/**
 * The slice of the TensorFlow.js API this package uses. Typed as a `Pick` so that any namespace with these
 * members works: `@tensorflow/tfjs`, `@tensorflow/tfjs-node`, or `@tensorflow/tfjs-core` plus backend packages.
 */
import type * as tfjs from "@tensorflow/tfjs";

/** A TensorFlow.js namespace (only the members below are used). */
export type Tf = Pick<
  typeof tfjs,
  | "abs"
  | "add"
  | "addN"
  | "clipByValue"
  | "concat"
  | "customGrad"
  | "div"
  | "engine"
  | "env"
  | "exp"
  | "expandDims"
  | "fused"
  | "getBackend"
  | "greater"
  | "keep"
  | "log"
  | "log1p"
  | "logSoftmax"
  | "matMul"
  | "max"
  | "maximum"
  | "memory"
  | "minimum"
  | "mul"
  | "neg"
  | "pad"
  | "ready"
  | "relu"
  | "reshape"
  | "reverse"
  | "scalar"
  | "setBackend"
  | "sigmoid"
  | "slice"
  | "softmax"
  | "split"
  | "sqrt"
  | "square"
  | "stack"
  | "sub"
  | "sum"
  | "tanh"
  | "tensor"
  | "tidy"
  | "tile"
  | "transpose"
  | "unstack"
  | "variable"
  | "where"
  | "zeros"
  | "zerosLike"
>;

/** A TensorFlow.js tensor. */
export type TfTensor = tfjs.Tensor;
/** A TensorFlow.js variable (trainable weights and optimizer slots). */
export type TfVariable = tfjs.Variable;
