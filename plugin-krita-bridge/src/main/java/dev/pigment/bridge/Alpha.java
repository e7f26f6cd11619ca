package dev.pigment.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Alpha of raw 4-byte pixels ({@code bgra8}, {@code rgba8}: alpha is every 4th byte). */
final class Alpha {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The alpha bytes of two 4-byte pixels read as one little-endian long. */
    private static final long TWO_ALPHAS = 0xFF000000FF000000L;
    private static final int BLOCK = 1 << 16;

    private Alpha() {
    }

    /** Whether every pixel is opaque (alpha 255). */
    static boolean opaque(byte[] pixels) {
        return opaque(pixels, 0, pixels.length);
    }

    /**
     * Whether every pixel in {@code [from, to)} is opaque; {@code from} is a pixel's first byte. Two pixels per long,
     * and-ed over a block before one test, so 64 MiB are read at memory speed instead of a byte at a time.
     */
    static boolean opaque(byte[] pixels, int from, int to) {
        int whole = from + ((to - from) & ~7);
        for (int at = from; at < whole; at += BLOCK) {
            int end = Math.min(whole, at + BLOCK);
            long all = -1L;
            for (int i = at; i < end; i += 8) {
                all &= (long) LONGS.get(pixels, i);
            }
            if ((all & TWO_ALPHAS) != TWO_ALPHAS) {
                return false;
            }
        }
        for (int i = whole + 3; i < to; i += 4) {
            if (pixels[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }
}
