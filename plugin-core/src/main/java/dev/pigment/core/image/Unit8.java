package dev.pigment.core.image;

/** 8-bit values as floats in 0..1, exactly {@code v / 255f}: a table lookup is cheaper than a division. */
public final class Unit8 {
    /** Read-only by convention: index v holds v / 255f. Never written after class initialisation. */
    static final float[] TABLE = table();

    private Unit8() {
    }

    /** v / 255f for an unsigned byte. */
    public static float of(byte v) {
        return TABLE[v & 0xFF];
    }

    private static float[] table() {
        float[] t = new float[256];
        for (int v = 0; v < 256; v++) {
            t[v] = v / 255f;
        }
        return t;
    }
}
