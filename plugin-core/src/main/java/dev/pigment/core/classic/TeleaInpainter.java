package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;

/**
 * Telea (2004), "An image inpainting technique based on the fast marching method": the hole is filled
 * from its edge inwards in order of distance T (the fast marching method solves |grad T| = 1), each new
 * pixel the weighted average I(p) = sum w(p,q) I(q) / sum w(p,q) of the known pixels q within
 * {@code radius}, with w = dir * dst * lev: dir = |(p-q) . grad T(p)| / |p-q| favours pixels along the
 * normal, dst = 1/|p-q|^2 nearer ones, lev = 1/(1 + |T(q) - T(p)|) those on the same level line.
 *
 * <p>The paper also adds the first-order term grad I(q) . (p - q). It is left out on purpose: extrapolated
 * over a radius of several pixels it overshoots at every strong edge, and since filled pixels feed the
 * next ones the overshoot grows into streaks. OpenCV's cv2.INPAINT_TELEA keeps the term only after
 * normalising it to unit length (at most about one grey level), which amounts to the same choice.
 */
public final class TeleaInpainter implements HoleFiller {
    public static final int DEFAULT_RADIUS = 5;

    private static final byte KNOWN = 0;
    private static final byte BAND = 1;
    private static final byte INSIDE = 2;
    private static final float FAR = 1e6f;

    private final int radius;

    public TeleaInpainter() {
        this(DEFAULT_RADIUS);
    }

    /** @param radius neighbourhood radius in pixels (OpenCV's inpaintRadius), 1..100 */
    public TeleaInpainter(int radius) {
        if (radius < 1 || radius > 100) {
            throw dev.pigment.core.api.PigmentException.badRequest("radius=" + radius
                    + " is out of range for fill=telea: use 1..100 pixels (default " + DEFAULT_RADIUS + ").");
        }
        this.radius = radius;
    }

    public int radius() {
        return radius;
    }

    @Override
    public String mode() {
        return "telea";
    }

    @Override
    public RgbImage fill(RgbImage src, Mask hole, ProgressListener progress, CancellationToken cancel) {
        boolean[] h = Holes.of(src, hole);
        int w = src.width();
        int ht = src.height();
        int n = w * ht;
        int holes = Holes.count(h);
        if (holes == 0) {
            return src;
        }
        Holes.requireSomeKnown(holes, n, mode());
        float[] out = src.data().clone();
        byte[] flag = new byte[n];
        float[] t = new float[n];
        MinHeap heap = new MinHeap(n);
        for (int i = 0; i < n; i++) {
            if (h[i]) {
                flag[i] = INSIDE;
                t[i] = FAR;
            }
        }
        // The initial narrow band: known pixels touching the hole (4-neighbourhood), at T = 0.
        for (int y = 0; y < ht; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (flag[i] == KNOWN && ((x > 0 && h[i - 1]) || (x < w - 1 && h[i + 1])
                        || (y > 0 && h[i - w]) || (y < ht - 1 && h[i + w]))) {
                    flag[i] = BAND;
                    heap.push(0f, i);
                }
            }
        }
        int done = 0;
        int reportEvery = Math.max(1, holes / 20);
        int[] nx = {-1, 1, 0, 0};
        int[] ny = {0, 0, -1, 1};
        while (!heap.isEmpty()) {
            int i = heap.pop();
            flag[i] = KNOWN;
            int x = i % w;
            int y = i / w;
            for (int d = 0; d < 4; d++) {
                int xx = x + nx[d];
                int yy = y + ny[d];
                if (xx < 0 || yy < 0 || xx >= w || yy >= ht) {
                    continue;
                }
                int j = yy * w + xx;
                if (flag[j] != INSIDE) {
                    continue;
                }
                t[j] = Math.min(Math.min(solve(t, flag, w, ht, xx - 1, yy, xx, yy - 1),
                                solve(t, flag, w, ht, xx + 1, yy, xx, yy - 1)),
                        Math.min(solve(t, flag, w, ht, xx - 1, yy, xx, yy + 1),
                                solve(t, flag, w, ht, xx + 1, yy, xx, yy + 1)));
                inpaint(out, t, flag, w, ht, xx, yy);
                flag[j] = BAND;
                heap.push(t[j], j);
                done++;
                if (done % 4096 == 0) {
                    cancel.throwIfCancelled();
                }
                if (done % reportEvery == 0 && done <= holes) {
                    progress.onProgress(Progress.of(Phase.FILL, done, holes));
                }
            }
        }
        cancel.throwIfCancelled();
        return RgbImage.wrap(w, ht, out);
    }

    /** The eikonal update from one horizontal and one vertical neighbour (Sethian's first-order scheme). */
    private static float solve(float[] t, byte[] flag, int w, int h, int x1, int y1, int x2, int y2) {
        float a = known(t, flag, w, h, x1, y1);
        float b = known(t, flag, w, h, x2, y2);
        if (a >= FAR && b >= FAR) {
            return FAR;
        }
        if (a >= FAR || b >= FAR || Math.abs(a - b) >= 1f) {
            return Math.min(a, b) + 1f;
        }
        float diff = a - b;
        return (a + b + (float) Math.sqrt(2f - diff * diff)) * 0.5f;
    }

    private static float known(float[] t, byte[] flag, int w, int h, int x, int y) {
        if (x < 0 || y < 0 || x >= w || y >= h) {
            return FAR;
        }
        int i = y * w + x;
        return flag[i] == INSIDE ? FAR : t[i];
    }

    private void inpaint(float[] img, float[] t, byte[] flag, int w, int h, int x, int y) {
        int n = w * h;
        int i = y * w + x;
        float gtx = centralDiff(t, flag, w, h, x, y, 1, 0);
        float gty = centralDiff(t, flag, w, h, x, y, 0, 1);
        float tp = t[i];
        int r2 = radius * radius;
        double sr = 0;
        double sg = 0;
        double sb = 0;
        double sw = 0;
        for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
            for (int xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
                int j = yy * w + xx;
                if (flag[j] == INSIDE || j == i) {
                    continue;
                }
                int rx = x - xx;
                int ry = y - yy;
                int len2 = rx * rx + ry * ry;
                if (len2 > r2) {
                    continue;
                }
                double dir = Math.abs(rx * gtx + ry * gty) / Math.sqrt(len2);
                if (dir == 0) {
                    dir = 1e-6;
                }
                double wt = dir / len2 / (1.0 + Math.abs(t[j] - tp));
                sr += wt * img[j];
                sg += wt * img[n + j];
                sb += wt * img[2 * n + j];
                sw += wt;
            }
        }
        if (sw > 0) {
            img[i] = (float) (sr / sw);
            img[n + i] = (float) (sg / sw);
            img[2 * n + i] = (float) (sb / sw);
        }
    }

    /** Central difference of T where both neighbours are known, one-sided where only one is, else 0. */
    private static float centralDiff(float[] t, byte[] flag, int w, int h, int x, int y, int dx, int dy) {
        float plus = known(t, flag, w, h, x + dx, y + dy);
        float minus = known(t, flag, w, h, x - dx, y - dy);
        if (plus < FAR && minus < FAR) {
            return (plus - minus) * 0.5f;
        }
        if (plus < FAR) {
            return plus - t[y * w + x];
        }
        if (minus < FAR) {
            return t[y * w + x] - minus;
        }
        return 0f;
    }

    /** A binary min-heap of (T, pixel) on primitive arrays: the fast marching method's narrow band. */
    private static final class MinHeap {
        private final float[] keys;
        private final int[] values;
        private int size;

        MinHeap(int capacity) {
            keys = new float[capacity];
            values = new int[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(float key, int value) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                values[i] = values[parent];
                i = parent;
            }
            keys[i] = key;
            values[i] = value;
        }

        int pop() {
            int top = values[0];
            size--;
            if (size > 0) {
                float key = keys[size];
                int value = values[size];
                int i = 0;
                while (true) {
                    int child = 2 * i + 1;
                    if (child >= size) {
                        break;
                    }
                    if (child + 1 < size && keys[child + 1] < keys[child]) {
                        child++;
                    }
                    if (keys[child] >= key) {
                        break;
                    }
                    keys[i] = keys[child];
                    values[i] = values[child];
                    i = child;
                }
                keys[i] = key;
                values[i] = value;
            }
            return top;
        }
    }
}
