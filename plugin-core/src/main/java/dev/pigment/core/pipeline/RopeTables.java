package dev.pigment.core.pipeline;

import dev.pigment.core.model.TransformerConfig;

/**
 * RoPE cos/sin tables for a {@code "rope": "tables"} export, computed as diffusers' Z-Image {@code RopeEmbedder}
 * does (transformer_z_image.py): per axis i, {@code freqs = 1 / theta^(arange(0, d_i, 2) / d_i)} and
 * {@code angle = outer(position, freqs)} in double, rounded to float before cos/sin (its {@code .float()} then
 * {@code torch.polar}); the axes' columns concatenated in order, one row per position-id triple.
 *
 * @param rows    number of rows (tokens)
 * @param columns sum(axes_dims) / 2
 * @param cos     row-major [rows, columns]: the real part of RopeEmbedder(ids)
 * @param sin     row-major [rows, columns]: the imaginary part
 */
public record RopeTables(int rows, int columns, float[] cos, float[] sin) {

    /**
     * The tables for {@code ids} (row-major [rows, axes]) under the transformer's axes_dims, axes_lens and rope_theta.
     *
     * @throws IllegalArgumentException naming the row, axis and value when a position is outside axes_lens
     */
    public static RopeTables of(TransformerConfig config, long[] ids) {
        int[] dims = config.axesDims();
        int axes = dims.length;
        if (ids.length % axes != 0) {
            throw new IllegalArgumentException("position ids hold " + ids.length + " values, not a multiple of "
                    + axes + " axes");
        }
        int rows = ids.length / axes;
        int columns = 0;
        for (int d : dims) {
            columns += d / 2;
        }
        float[] cos = new float[rows * columns];
        float[] sin = new float[rows * columns];
        int offset = 0;
        for (int axis = 0; axis < axes; axis++) {
            fillAxis(config, axis, ids, offset, columns, cos, sin);
            offset += dims[axis] / 2;
        }
        return new RopeTables(rows, columns, cos, sin);
    }

    private static void fillAxis(TransformerConfig config, int axis, long[] ids, int offset, int columns,
                                 float[] cos, float[] sin) {
        int d = config.axesDims()[axis];
        int len = config.axesLens()[axis];
        int axes = config.axesDims().length;
        double[] freqs = new double[d / 2];
        for (int k = 0; k < freqs.length; k++) {
            freqs[k] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * k) / d);
        }
        for (int row = 0; row < ids.length / axes; row++) {
            long position = ids[row * axes + axis];
            if (position < 0 || position >= len) {
                throw new IllegalArgumentException("position id " + position + " (row " + row + ", axis " + axis
                        + ") is outside axes_lens[" + axis + "] = " + len);
            }
            for (int k = 0; k < freqs.length; k++) {
                float angle = (float) (position * freqs[k]);
                cos[row * columns + offset + k] = (float) Math.cos(angle);
                sin[row * columns + offset + k] = (float) Math.sin(angle);
            }
        }
    }
}
