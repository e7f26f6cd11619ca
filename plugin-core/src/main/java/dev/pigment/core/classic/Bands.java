package dev.pigment.core.classic;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent pieces of work ("bands" of rows) on the common fork-join pool. The split is fixed by
 * the caller, never by the core count, so results do not depend on how many threads ran them.
 */
final class Bands {
    private Bands() {
    }

    static void run(int count, IntConsumer body) {
        if (count == 1) {
            body.accept(0);
        } else if (count > 1) {
            IntStream.range(0, count).parallel().forEach(body);
        }
    }

    /** Splits {@code rows} rows into at most {@code maxBands} contiguous ranges; returns the bounds (length bands+1). */
    static int[] split(int rows, int maxBands) {
        int bands = Math.max(1, Math.min(maxBands, rows));
        int[] bounds = new int[bands + 1];
        for (int i = 0; i <= bands; i++) {
            bounds[i] = (int) ((long) rows * i / bands);
        }
        return bounds;
    }
}
