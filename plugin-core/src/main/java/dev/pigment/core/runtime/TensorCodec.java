package dev.pigment.core.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Optional;

/** Converts between host {@link Tensor}s and the native-order buffers ONNX Runtime reads and writes. */
final class TensorCodec {
    private TensorCodec() {
    }

    /** The Pigment type for an ONNX Runtime element type, or empty when Pigment does not handle it. */
    static Optional<TensorType> typeOf(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> Optional.of(TensorType.FLOAT32);
            case FLOAT16 -> Optional.of(TensorType.FLOAT16);
            case INT32 -> Optional.of(TensorType.INT32);
            case INT64 -> Optional.of(TensorType.INT64);
            default -> Optional.empty();
        };
    }

    static int bytesPerElement(TensorType type) {
        return switch (type) {
            case FLOAT32, INT32 -> 4;
            case FLOAT16 -> 2;
            case INT64 -> 8;
        };
    }

    /**
     * Writes {@code src} into {@code dst} (native order, exactly {@code count * bytesPerElement} bytes
     * remaining) as {@code target}: float32 to float16 rounds to nearest, floats to integers round
     * half up (a timestep of 999.0 stays 999), integers to float widen.
     *
     * @return a view of {@code dst} typed as ONNX Runtime expects for {@code target}
     */
    static Buffer write(Tensor src, TensorType target, ByteBuffer dst, String inputName) {
        int n = Math.toIntExact(src.elementCount());
        switch (target) {
            case FLOAT32 -> {
                FloatBuffer out = dst.asFloatBuffer();
                if (src.floats() != null) {
                    out.put(src.floats());
                } else {
                    for (int i = 0; i < n; i++) {
                        out.put((float) src.valueAt(i));
                    }
                }
                return out.flip();
            }
            case FLOAT16 -> {
                ShortBuffer out = dst.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(Fp16Conversions.floatToFp16((float) src.valueAt(i)));
                }
                return dst;
            }
            case INT64 -> {
                LongBuffer out = dst.asLongBuffer();
                if (src.longs() != null) {
                    out.put(src.longs());
                } else if (src.ints() != null) {
                    for (int v : src.ints()) {
                        out.put(v);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out.put(roundToLong(src.floats()[i], inputName, Long.MIN_VALUE, Long.MAX_VALUE));
                    }
                }
                return out.flip();
            }
            case INT32 -> {
                IntBuffer out = dst.asIntBuffer();
                if (src.ints() != null) {
                    out.put(src.ints());
                } else if (src.longs() != null) {
                    for (long v : src.longs()) {
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw PigmentException.badRequest("Value " + v + " for model input '" + inputName
                                    + "' does not fit the model's int32 type.");
                        }
                        out.put((int) v);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out.put((int) roundToLong(src.floats()[i], inputName, Integer.MIN_VALUE, Integer.MAX_VALUE));
                    }
                }
                return out.flip();
            }
            default -> throw new IllegalStateException("unhandled type " + target);
        }
    }

    private static long roundToLong(float v, String inputName, long min, long max) {
        if (!Float.isFinite(v) || v < min || v > max) {
            throw PigmentException.badRequest("Value " + v + " for model input '" + inputName
                    + "' cannot be converted to the model's integer type.");
        }
        return Math.round((double) v);
    }

    /**
     * Copies an ONNX Runtime output into a host tensor; float16 becomes float32. (The typed getters
     * copy; {@code getBufferRef()} would avoid one copy but throws for ORT-allocated outputs in 1.29.)
     */
    static Tensor read(OnnxTensor tensor, String outputName) {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        int n = Math.toIntExact(info.getNumElements());
        switch (info.type) {
            case FLOAT, FLOAT16 -> {
                float[] data = new float[n];
                tensor.getFloatBuffer().get(data);
                return Tensor.ofFloats(data, shape);
            }
            case INT64 -> {
                long[] data = new long[n];
                tensor.getLongBuffer().get(data);
                return Tensor.ofLongs(data, shape);
            }
            case INT32 -> {
                int[] data = new int[n];
                tensor.getIntBuffer().get(data);
                return Tensor.ofInts(data, shape);
            }
            default -> throw new PigmentException(ErrorCode.MODEL_INVALID,
                    "Model output '" + outputName + "' has element type " + info.type
                            + ", which Pigment does not read (float32, float16, int32, int64).");
        }
    }
}
