package dev.pigment.core.classic;

/**
 * Allocation-free random numbers for the hot loops: a SplitMix64 finaliser derives independent streams
 * from (seed, index), and xorshift64 advances a stream held in a local {@code long}.
 */
final class Seeds {
    private Seeds() {
    }

    /** A non-zero stream state for sub-task {@code index} of a job seeded with {@code seed}. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? 0x2545F4914F6CDD1DL : z;
    }

    /** Advances a stream (Marsaglia xorshift64). */
    static long next(long s) {
        s ^= s << 13;
        s ^= s >>> 7;
        s ^= s << 17;
        return s;
    }

    /** A value in [0, bound) from the high bits of the state; bound must be positive and below 2^31. */
    static int below(long s, int bound) {
        return (int) (((s >>> 33) * bound) >>> 31);
    }

    /** A uniform double in [0,1). */
    static double unit(long s) {
        return (s >>> 11) * 0x1.0p-53;
    }
}
