package dev.pigment.core.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A model input or output as the ONNX file declares it.
 *
 * @param name the ONNX value name, e.g. {@code sample}
 * @param type element type
 * @param shape declared dimensions; {@code -1} marks a dynamic (named or unnamed) dimension
 */
public record TensorSpec(String name, TensorType type, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        for (long d : shape) {
            if (d < -1) {
                throw new IllegalArgumentException("dimension " + d + " of " + name + " is neither -1 nor >= 0");
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The declared size of dimension {@code axis}, or -1 when it is dynamic. */
    public long dim(int axis) {
        return shape[axis];
    }

    public boolean isDynamic(int axis) {
        return shape[axis] < 0;
    }

    /** Whether a tensor of this shape fits: same rank and equal wherever this spec is fixed. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && name.equals(s.name) && type == s.type && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape));
    }

    /** Reads like {@code sample float32[?,4,?,?]}. */
    @Override
    public String toString() {
        return name + " " + type.name().toLowerCase(java.util.Locale.ROOT) + Tensor.shapeString(shape);
    }
}
