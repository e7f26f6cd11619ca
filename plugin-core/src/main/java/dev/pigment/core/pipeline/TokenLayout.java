package dev.pigment.core.pipeline;

import java.util.Arrays;

/**
 * Where every token of one DiT call sits, as diffusers' Z-Image {@code patchify_and_embed} lays it out: the
 * caption padded to a multiple (its last row repeated) with position ids (1 + i, 0, 0); the image patches after
 * it with ids (padded caption length + 1, row, column); image padding rows with id (0, 0, 0). Padding rows are
 * flagged so the graph swaps in its learned pad tokens. Reference tokens (same grid) follow the image's before the
 * padding, reference r at frame (image frame + scale + scale * r) as diffusers' Flux2 {@code _prepare_image_ids}.
 *
 * @param gridHeight    patch rows
 * @param gridWidth     patch columns
 * @param captionLength caption tokens before padding
 * @param multiple      both sequences are padded to a multiple of this
 * @param references    reference images appended as tokens (0 for none)
 * @param scale         the frame offset step of reference tokens
 */
record TokenLayout(int gridHeight, int gridWidth, int captionLength, int multiple, int references, int scale) {
    TokenLayout {
        if (gridHeight < 1 || gridWidth < 1 || captionLength < 1 || multiple < 1 || references < 0
                || (references > 0 && scale < 1)) {
            throw new IllegalArgumentException("layout " + gridHeight + "x" + gridWidth + ", caption " + captionLength
                    + ", multiple " + multiple + ", references " + references + " at scale " + scale);
        }
    }

    TokenLayout(int gridHeight, int gridWidth, int captionLength, int multiple) {
        this(gridHeight, gridWidth, captionLength, multiple, 0, 0);
    }

    /** The image's and the references' tokens, before padding. */
    int realImageRows() {
        return imageTokens() * (1 + references);
    }

    /** The largest frame position id used. */
    long lastFrame() {
        return captionTotal() + 1L + (long) scale * references;
    }

    int imageTokens() {
        return gridHeight * gridWidth;
    }

    int imageTotal() {
        return roundUp(realImageRows());
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
        for (int i = 0; i < realImageRows(); i++) {
            int r = i / imageTokens();
            int k = i % imageTokens();
            ids[3 * i] = r == 0 ? frame : frame + (long) scale * r;
            ids[3 * i + 1] = k / gridWidth;
            ids[3 * i + 2] = k % gridWidth;
        }
        return ids;
    }

    long[] imagePadMask() {
        return padMask(realImageRows(), imageTotal());
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
