package dev.pigment.core.sched;

/**
 * Scalar float ports of the Cephes-style {@code log256_ps} and {@code sincos256_ps} from PyTorch's
 * avx_mathfun.h (zlib licence, after Julien Pommier's sse_mathfun), which torch's AVX2 {@code randn} kernel
 * uses. They are not correctly rounded, so matching torch's noise to the bit needs the same steps in the same
 * float order, rather than {@link Math#log}. torch's AVX2 build lets the compiler contract multiply-add pairs
 * into FMAs; the {@link Math#fma} calls below sit exactly where that happens (checked bit for bit against
 * torch 1.13's randn on 100,000 values).
 */
final class AvxMath {
    private static final float SQRTHF = (float) 0.707106781186547524;
    private static final float LOG_P0 = (float) 7.0376836292E-2;
    private static final float LOG_P1 = (float) -1.1514610310E-1;
    private static final float LOG_P2 = (float) 1.1676998740E-1;
    private static final float LOG_P3 = (float) -1.2420140846E-1;
    private static final float LOG_P4 = (float) 1.4249322787E-1;
    private static final float LOG_P5 = (float) -1.6668057665E-1;
    private static final float LOG_P6 = (float) 2.0000714765E-1;
    private static final float LOG_P7 = (float) -2.4999993993E-1;
    private static final float LOG_P8 = (float) 3.3333331174E-1;
    private static final float LOG_Q1 = (float) -2.12194440e-4;
    private static final float LOG_Q2 = (float) 0.693359375;

    private static final float MINUS_DP1 = (float) -0.78515625;
    private static final float MINUS_DP2 = (float) -2.4187564849853515625e-4;
    private static final float MINUS_DP3 = (float) -3.77489497744594108e-8;
    private static final float SINCOF_P0 = (float) -1.9515295891E-4;
    private static final float SINCOF_P1 = (float) 8.3321608736E-3;
    private static final float SINCOF_P2 = (float) -1.6666654611E-1;
    private static final float COSCOF_P0 = (float) 2.443315711809948E-005;
    private static final float COSCOF_P1 = (float) -1.388731625493765E-003;
    private static final float COSCOF_P2 = (float) 4.166664568298827E-002;
    private static final float FOPI = (float) 1.27323954473516;

    private AvxMath() {
    }

    /** Natural log for x &gt; 0 (NaN for x &lt;= 0). */
    static float log(float x) {
        if (!(x > 0f)) {
            return Float.NaN;
        }
        x = Math.max(x, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 0x7f;
        x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
        float e = (float) exponent + 1.0f;
        boolean small = x < SQRTHF;
        float tmp = small ? x : 0f;
        x = x - 1.0f;
        e = e - (small ? 1.0f : 0f);
        x = x + tmp;

        float z = x * x;
        float y = LOG_P0;
        y = Math.fma(y, x, LOG_P1);
        y = Math.fma(y, x, LOG_P2);
        y = Math.fma(y, x, LOG_P3);
        y = Math.fma(y, x, LOG_P4);
        y = Math.fma(y, x, LOG_P5);
        y = Math.fma(y, x, LOG_P6);
        y = Math.fma(y, x, LOG_P7);
        y = Math.fma(y, x, LOG_P8);
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = y - z * 0.5f;
        x = x + y;
        x = Math.fma(e, LOG_Q2, x);
        return x;
    }

    static float sin(float x) {
        return sincos(x, true);
    }

    static float cos(float x) {
        return sincos(x, false);
    }

    private static float sincos(float x, boolean wantSin) {
        boolean negative = Float.floatToRawIntBits(x) < 0;
        x = Math.abs(x);
        int j = (int) (x * FOPI);
        j = (j + 1) & ~1;
        float y = (float) j;
        boolean sinSwap = (j & 4) != 0;
        boolean firstPolyIsSin = (j & 2) == 0;
        boolean cosNegative = ((~(j - 2)) & 4) != 0;

        x = Math.fma(y, MINUS_DP1, x);
        x = Math.fma(y, MINUS_DP2, x);
        x = Math.fma(y, MINUS_DP3, x);

        float z = x * x;
        float cosPoly = COSCOF_P0;
        cosPoly = Math.fma(cosPoly, z, COSCOF_P1);
        cosPoly = Math.fma(cosPoly, z, COSCOF_P2);
        cosPoly = cosPoly * z;
        cosPoly = Math.fma(cosPoly, z, -(z * 0.5f));
        cosPoly = cosPoly + 1.0f;

        float sinPoly = SINCOF_P0;
        sinPoly = Math.fma(sinPoly, z, SINCOF_P1);
        sinPoly = Math.fma(sinPoly, z, SINCOF_P2);
        sinPoly = sinPoly * z;
        sinPoly = Math.fma(sinPoly, x, x);

        if (wantSin) {
            float s = firstPolyIsSin ? sinPoly : cosPoly;
            return (negative ^ sinSwap) ? -s : s;
        }
        float c = firstPolyIsSin ? cosPoly : sinPoly;
        return cosNegative ? -c : c;
    }
}
