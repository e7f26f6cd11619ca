package dev.pigment.core.sched;

/**
 * A port of PyTorch's CPU generator, so that {@code torch.manual_seed(s); torch.randn(n)} and
 * {@code new TorchGenerator(s).randn(n)} give the same float32 values (to the last bit or so: torch's AVX2
 * path uses approximate vector log/sin/cos, we use correctly rounded ones). Seeds therefore reproduce the
 * starting noise of diffusers and ComfyUI on CPU.
 *
 * <p>Layout, as in ATen's {@code normal_kernel}: for n &gt;= 16 floats, n uniforms are drawn from 32-bit
 * outputs with 24 bits of mantissa, then transformed by Box-Muller in blocks of 16 that pair element j with
 * j + 8; when n is not a multiple of 16 the last 16 are drawn again and transformed once more. For n &lt; 16
 * torch takes the double path: 53-bit uniforms from two 32-bit outputs, Box-Muller in double, with the second
 * value of each pair cached in the generator for the next draw (across calls, like torch).
 *
 * <p>Not thread-safe: one generator belongs to one generation.
 */
public final class TorchGenerator {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    /** torch's AVX2 kernel multiplies by 2*pi rounded to float, in float. */
    private static final float TWO_PI_F = (float) (2.0 * Math.PI);

    private final long seed;
    private final int[] state = new int[N];
    private int left;
    private int next;
    private boolean hasNextGauss;
    private double nextGauss;

    /** Same as {@code torch.manual_seed(seed)} on a fresh CPU generator; only the low 32 bits seed MT19937, as in torch. */
    public TorchGenerator(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int prev = state[j - 1];
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
        }
        left = 1;
        next = 0;
        hasNextGauss = false;
    }

    public long seed() {
        return seed;
    }

    /** Same values as the next {@code torch.randn(n)} (float32, CPU) on this generator. */
    public float[] randn(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randn size must be >= 0, got " + n);
        }
        float[] data = new float[n];
        if (n >= 16) {
            for (int i = 0; i < n; i++) {
                data[i] = uniformFloat();
            }
            for (int i = 0; i + 16 <= n; i += 16) {
                normalFill16(data, i);
            }
            if (n % 16 != 0) {
                int base = n - 16;
                for (int i = 0; i < 16; i++) {
                    data[base + i] = uniformFloat();
                }
                normalFill16(data, base);
            }
        } else {
            for (int i = 0; i < n; i++) {
                data[i] = (float) normalDouble();
            }
        }
        return data;
    }

    /** ATen's normal_fill_16_AVX2: Box-Muller on (1 - data[j], data[j + 8]) with avx_mathfun's log and sincos. */
    private static void normalFill16(float[] data, int offset) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - data[offset + j];
            float u2 = data[offset + j + 8];
            float radius = (float) Math.sqrt(-2.0f * AvxMath.log(u1));
            float theta = TWO_PI_F * u2;
            data[offset + j] = radius * AvxMath.cos(theta);
            data[offset + j + 8] = radius * AvxMath.sin(theta);
        }
    }

    private double normalDouble() {
        if (hasNextGauss) {
            hasNextGauss = false;
            return nextGauss;
        }
        double u1 = uniformDouble();
        double u2 = uniformDouble();
        double r = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextGauss = r * Math.sin(theta);
        hasNextGauss = true;
        return r * Math.cos(theta);
    }

    private float uniformFloat() {
        return (nextInt() & 0xFFFFFF) * 0x1.0p-24f;
    }

    private double uniformDouble() {
        long hi = nextInt() & 0xFFFFFFFFL;
        long lo = nextInt() & 0xFFFFFFFFL;
        long bits = (hi << 32) | lo;
        return (bits & ((1L << 53) - 1)) * 0x1.0p-53;
    }

    private int nextInt() {
        if (--left == 0) {
            nextState();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void nextState() {
        left = N;
        next = 0;
        int p = 0;
        for (int j = N - M + 1; --j > 0; p++) {
            state[p] = state[p + M] ^ twist(state[p], state[p + 1]);
        }
        for (int j = M; --j > 0; p++) {
            state[p] = state[p + M - N] ^ twist(state[p], state[p + 1]);
        }
        state[p] = state[p + M - N] ^ twist(state[p], state[0]);
    }

    private static int twist(int u, int v) {
        int mixed = (u & UPPER_MASK) | (v & LOWER_MASK);
        return (mixed >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }
}
