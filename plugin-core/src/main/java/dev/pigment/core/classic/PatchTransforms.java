package dev.pigment.core.classic;

/**
 * The eight symmetries of a square patch (identity, mirror, rotations by 90 degrees and their mirrors),
 * which map pixel offsets onto pixel offsets: a transformed patch needs no resampling. Transform t mirrors x
 * when bit 0 is set, then rotates by (t >> 1) quarter turns.
 */
final class PatchTransforms {
    static final int COUNT = 8;

    private PatchTransforms() {
    }

    static int dx(int t, int dx, int dy) {
        int x = (t & 1) != 0 ? -dx : dx;
        return switch (t >> 1) {
            case 0 -> x;
            case 1 -> -dy;
            case 2 -> -x;
            default -> dy;
        };
    }

    static int dy(int t, int dx, int dy) {
        int x = (t & 1) != 0 ? -dx : dx;
        return switch (t >> 1) {
            case 0 -> dy;
            case 1 -> x;
            case 2 -> -dy;
            default -> -x;
        };
    }

    /** Per transform, the index offset in an image of width {@code w} of every patch offset, row-major. */
    static int[][] offsets(int r, int w) {
        int side = 2 * r + 1;
        int[][] out = new int[COUNT][side * side];
        for (int t = 0; t < COUNT; t++) {
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    out[t][(dy + r) * side + dx + r] = dy(t, dx, dy) * w + dx(t, dx, dy);
                }
            }
        }
        return out;
    }
}
