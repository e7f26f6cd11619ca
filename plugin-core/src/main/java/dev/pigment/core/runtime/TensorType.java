package dev.pigment.core.runtime;

/** The element types Pigment moves in and out of ONNX models. */
public enum TensorType {
    FLOAT32,
    /** Half precision; the host side always holds such data as float32 (see {@link OnnxComponent#run}). */
    FLOAT16,
    INT32,
    INT64
}
