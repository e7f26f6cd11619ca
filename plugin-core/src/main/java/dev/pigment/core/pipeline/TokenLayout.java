package dev.pigment.core.pipeline;

import java.util.Arrays;

/**
 * Where every token of one DiT call sits, as diffusers' Z-Image {@code patchify_and_embed} lays it out: the
 * caption padded to a multiple (its last row repeated) with position ids (1 + i, 0, 0); the image patches after
 * it with ids (padded caption length + 1, row, column); image padding rows with id (0, 0, 0). Padding rows are
 * flagged so the graph swaps in its learned pad tokens.
 *
 * @param gridHeight    patch rows
 * @param gridWidth     patch columns
 * @param captionLength caption tokens before padding
 * @param multiple      both sequences are padded to a multiple of this
 */
record TokenLayout(int gridHeight, int gridWidth, int captionLength, int multiple) {
    TokenLayout {
        if (gridHeight < 1 || gridWidth < 1 || captionLength < 1 || multiple < 1) {
            throw new IllegalArgumentException("layout " + gridHeight + "x" + gridWidth + ", caption " + captionLength
                    + ", multiple " + multiple);
        }
    }

    int imageTokens() {
        return gridHeight * gridWidth;
    }

    int imageTotal() {
        return roundUp(imageTokens());
    }

    int captionTotal() {
        return roundUp(captionLength);
    }

    private int roundUp(int n) {
        return (n + multiple - 1) / multiple * multiple;
    }

    long[] captionIds() {
        long[] ids = new long[captionTotal() * 3];
        for (int i = 0; i < captionTotal(); i++) {
            ids[3 * i] = 1 + i;
        }
        return ids;
    }

    long[] imageIds() {
        long[] ids = new long[imageTotal() * 3];
        long frame = captionTotal() + 1L;
        for (int i = 0; i < imageTokens(); i++) {
            ids[3 * i] = frame;
            ids[3 * i + 1] = i / gridWidth;
            ids[3 * i + 2] = i % gridWidth;
        }
        return ids;
    }

    long[] imagePadMask() {
        return padMask(imageTokens(), imageTotal());
    }

    long[] captionPadMask() {
        return padMask(captionLength, captionTotal());
    }

    private static long[] padMask(int real, int total) {
        long[] m = new long[total];
        Arrays.fill(m, real, total, 1L);
        return m;
    }

    /** {@code rows} rows of {@code width}: the given ones, then the last one repeated. */
    static float[] padRows(float[] data, int width, int rows) {
        int have = data.length / width;
        float[] out = Arrays.copyOf(data, rows * width);
        for (int r = have; r < rows; r++) {
            System.arraycopy(data, (have - 1) * width, out, r * width, width);
        }
        return out;
    }
}
