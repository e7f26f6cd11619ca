package dev.pigment.core.classic;

/** Binary morphology and distance transforms on flat boolean masks, linear in the pixel count. */
final class Morphology {
    private static final int FAR = Integer.MAX_VALUE / 4;

    private Morphology() {
    }

    /** Dilation by a (2r+1)x(2r+1) square, with running counts so the cost does not grow with r. */
    static boolean[] dilate(boolean[] m, int w, int h, int r) {
        int[] tmp = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int count = 0;
            for (int x = 0; x < Math.min(r, w); x++) {
                count += m[row + x] ? 1 : 0;
            }
            for (int x = 0; x < w; x++) {
                int add = x + r;
                if (add < w && m[row + add]) {
                    count++;
                }
                int drop = x - r - 1;
                if (drop >= 0 && m[row + drop]) {
                    count--;
                }
                tmp[row + x] = count;
            }
        }
        boolean[] out = new boolean[w * h];
        for (int x = 0; x < w; x++) {
            int count = 0;
            for (int y = 0; y < Math.min(r, h); y++) {
                count += tmp[y * w + x] > 0 ? 1 : 0;
            }
            for (int y = 0; y < h; y++) {
                int add = y + r;
                if (add < h && tmp[add * w + x] > 0) {
                    count++;
                }
                int drop = y - r - 1;
                if (drop >= 0 && tmp[drop * w + x] > 0) {
                    count--;
                }
                out[y * w + x] = count > 0;
            }
        }
        return out;
    }

    /**
     * Chessboard distance of every pixel to the nearest pixel where {@code m == toValue}
     * (two-pass chamfer); pixels where no such pixel exists stay at a large value.
     */
    static int[] chebyshevDistance(boolean[] m, int w, int h, boolean toValue) {
        int[] d = new int[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = m[i] == toValue ? 0 : FAR;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int v = d[i];
                if (v == 0) {
                    continue;
                }
                if (x > 0) {
                    v = Math.min(v, d[i - 1] + 1);
                }
                if (y > 0) {
                    v = Math.min(v, d[i - w] + 1);
                    if (x > 0) {
                        v = Math.min(v, d[i - w - 1] + 1);
                    }
                    if (x < w - 1) {
                        v = Math.min(v, d[i - w + 1] + 1);
                    }
                }
                d[i] = v;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int i = y * w + x;
                int v = d[i];
                if (v == 0) {
                    continue;
                }
                if (x < w - 1) {
                    v = Math.min(v, d[i + 1] + 1);
                }
                if (y < h - 1) {
                    v = Math.min(v, d[i + w] + 1);
                    if (x < w - 1) {
                        v = Math.min(v, d[i + w + 1] + 1);
                    }
                    if (x > 0) {
                        v = Math.min(v, d[i + w - 1] + 1);
                    }
                }
                d[i] = v;
            }
        }
        return d;
    }

    /** The largest distance from a hole pixel to the nearest known pixel: how deep the hole reaches. */
    static int maxDepth(boolean[] hole, int w, int h) {
        int[] d = chebyshevDistance(hole, w, h, false);
        int max = 0;
        for (int i = 0; i < d.length; i++) {
            if (hole[i]) {
                max = Math.max(max, d[i]);
            }
        }
        return max;
    }
}
