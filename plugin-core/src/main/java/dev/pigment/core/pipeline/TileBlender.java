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
     * Weight of position {@code p} inside a tile of size {@code size} starting at {@code start}: ramps
     * from near 0 to 1 across {@code overlap} cells at edges shared with a neighbour, flat 1 at image borders.
     */
    static float weight(int p, int size, int start, int total, int overlap) {
        float w = 1f;
        if (start > 0 && overlap > 0) {
            w = Math.min(w, (p + 0.5f) / overlap);
        }
        if (start + size < total && overlap > 0) {
            w = Math.min(w, (size - p - 0.5f) / overlap);
        }
        return Math.max(w, 1e-4f);
    }
}
