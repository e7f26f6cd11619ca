package dev.pigment.core.runtime;

import java.util.Objects;

/**
 * A host-side tensor: a flat row-major array plus its shape. Exactly one of {@link #floats()},
 * {@link #longs()}, {@link #ints()} is non-null. Float16 data is held as float32 on the host.
 *
 * <p>Immutable by convention: the accessors return the backing arrays without copying, because
 * latents and hidden states are large and pass through several steps; callers must not modify
 * them unless they created the tensor themselves.
 */
public final class Tensor {
    private final TensorType type;
    private final long[] shape;
    private final float[] floats;
    private final long[] longs;
    private final int[] ints;

    private Tensor(TensorType type, long[] shape, float[] floats, long[] longs, int[] ints, int length) {
        this.type = type;
        this.shape = checkShape(shape, length);
        this.floats = floats;
        this.longs = longs;
        this.ints = ints;
    }

    /** Wraps (does not copy) {@code data}; the product of {@code shape} must equal its length. */
    public static Tensor ofFloats(float[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(TensorType.FLOAT32, shape, data, null, null, data.length);
    }

    public static Tensor ofLongs(long[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(TensorType.INT64, shape, null, data, null, data.length);
    }

    public static Tensor ofInts(int[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        return new Tensor(TensorType.INT32, shape, null, null, data, data.length);
    }

    private static long[] checkShape(long[] shape, int length) {
        Objects.requireNonNull(shape, "shape");
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor shape " + shapeString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, d);
        }
        if (count != length) {
            throw new IllegalArgumentException("tensor shape " + shapeString(shape) + " holds " + count
                    + " values but the data has " + length);
        }
        return shape.clone();
    }

    /** FLOAT32, INT64 or INT32: host tensors never hold float16. */
    public TensorType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public float[] floats() {
        return floats;
    }

    public long[] longs() {
        return longs;
    }

    public int[] ints() {
        return ints;
    }

    public long elementCount() {
        return floats != null ? floats.length : longs != null ? longs.length : ints.length;
    }

    /** The values as doubles, whatever the element type (for conversions and checks, not hot loops). */
    double valueAt(int index) {
        return floats != null ? floats[index] : longs != null ? longs[index] : ints[index];
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + shapeString(shape);
    }

    static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }
}
