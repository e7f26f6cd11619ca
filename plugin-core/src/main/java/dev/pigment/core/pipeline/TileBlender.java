package dev.pigment.core.pipeline;

/**
 * Splits a length into overlapping tiles and weights their overlaps with linear ramps, so tiled
 * VAE passes blend without visible seams (each pixel's weights across tiles sum to one).
 */
final class TileBlender {
    private TileBlender() {
    }

    /** Tile start positions covering [0,length) with tiles of {@code tile} and at least {@code overlap} shared. */
    static int[] starts(int length, int tile, int overlap) {
        if (length <= tile) {
            return new int[] {0};
        }
        int stride = tile - overlap;
        int count = (int) Math.ceil((double) (length - tile) / stride) + 1;
        int[] s = new int[count];
        for (int i = 0; i < count; i++) {
            s[i] = Math.min(i * stride, length - tile);
        }
        return s;
    }

    /**
     * Weight of position {@code p} inside a tile of size {@code size} starting at {@code start}. At an edge
     * shared with a neighbour the outer {@code overlap/4} cells get no weight (convolutions there saw zero
     * padding, not the image), then the weight ramps linearly to 1; at image borders it stays 1. Where two
     * tiles overlap by exactly {@code overlap}, their ramps sum to one.
     */
    static float weight(int p, int size, int start, int total, int overlap) {
        float margin = overlap / 4;
        float ramp = Math.max(1f, overlap - 2 * margin);
        float w = 1f;
        if (start > 0) {
            w = Math.min(w, (p + 0.5f - margin) / ramp);
        }
        if (start + size < total) {
            w = Math.min(w, (size - p - 0.5f - margin) / ramp);
        }
        return Math.max(w, 1e-6f);
    }
}
