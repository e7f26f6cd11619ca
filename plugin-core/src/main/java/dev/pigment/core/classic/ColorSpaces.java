package dev.pigment.core.classic;

/**
 * Colour-space conversions on planar float arrays {@code [c0(0..n), c1(0..n), c2(0..n)]}, the layout of
 * {@link dev.pigment.core.image.RgbImage}. RGB is sRGB-encoded in [0,1], D65 white.
 *
 * <p>Two decorrelated spaces are offered because the colour-transfer literature uses both: CIE L*a*b*
 * (L in [0,100]) and Ruderman's lαβ in the log-LMS form Reinhard et al. (2001) used for colour transfer.
 */
public final class ColorSpaces {
    private ColorSpaces() {
    }

    /** The decorrelated working spaces of the colour transfers; channel 0 is lightness in both. */
    public enum Space {
        /** CIE L*a*b*, D65. */
        LAB,
        /** Ruderman/Reinhard log-LMS lαβ. */
        LALPHABETA;

        public String id() {
            return this == LAB ? "lab" : "lalphabeta";
        }

        public static Space fromId(String id) {
            return "lalphabeta".equals(id) ? LALPHABETA : LAB;
        }

        /** Planar sRGB -> this space (new array). */
        public float[] fromRgb(float[] rgb, int n) {
            return this == LAB ? rgbToLab(rgb, n, null) : rgbToLalphabeta(rgb, n, null);
        }

        /** This space -> planar sRGB in [0,1] (new array). */
        public float[] toRgb(float[] v, int n) {
            return this == LAB ? labToRgb(v, n, null) : lalphabetaToRgb(v, n, null);
        }
    }

    /** Per-channel mean and (population) standard deviation of a planar 3-channel array: {{m0,m1,m2},{s0,s1,s2}}. */
    public static double[][] meanStd(float[] planar, int n) {
        double[][] out = new double[2][3];
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += planar[c * n + i];
            }
            double mean = sum / n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = planar[c * n + i] - mean;
                var += d * d;
            }
            out[0][c] = mean;
            out[1][c] = Math.sqrt(var / n);
        }
        return out;
    }

    /** sRGB -> linear light (IEC 61966-2-1). */
    public static float srgbToLinear(float v) {
        return v <= 0.04045f ? v / 12.92f : (float) Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /** linear light -> sRGB. */
    public static float linearToSrgb(float v) {
        return v <= 0.0031308f ? v * 12.92f : (float) (1.055 * Math.pow(v, 1 / 2.4) - 0.055);
    }

    // D65 white point of sRGB in XYZ.
    private static final double XN = 0.95047;
    private static final double YN = 1.0;
    private static final double ZN = 1.08883;

    /** Planar sRGB -> planar CIE L*a*b* (D65). {@code out} may be {@code rgb}. */
    public static float[] rgbToLab(float[] rgb, int n, float[] out) {
        out = ensure(out, n);
        for (int i = 0; i < n; i++) {
            double r = srgbToLinear(rgb[i]);
            double g = srgbToLinear(rgb[n + i]);
            double b = srgbToLinear(rgb[2 * n + i]);
            double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / XN;
            double y = (0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / YN;
            double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / ZN;
            double fx = labF(x);
            double fy = labF(y);
            double fz = labF(z);
            out[i] = (float) (116 * fy - 16);
            out[n + i] = (float) (500 * (fx - fy));
            out[2 * n + i] = (float) (200 * (fy - fz));
        }
        return out;
    }

    /** Planar CIE L*a*b* (D65) -> planar sRGB, clamped to [0,1]. {@code out} may be {@code lab}. */
    public static float[] labToRgb(float[] lab, int n, float[] out) {
        out = ensure(out, n);
        for (int i = 0; i < n; i++) {
            double fy = (lab[i] + 16) / 116.0;
            double fx = fy + lab[n + i] / 500.0;
            double fz = fy - lab[2 * n + i] / 200.0;
            double x = labFInv(fx) * XN;
            double y = labFInv(fy) * YN;
            double z = labFInv(fz) * ZN;
            double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
            double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
            double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
            out[i] = clamp01(linearToSrgb((float) r));
            out[n + i] = clamp01(linearToSrgb((float) g));
            out[2 * n + i] = clamp01(linearToSrgb((float) b));
        }
        return out;
    }

    // Reinhard et al. 2001, eqs. 1-6: linear RGB -> LMS, log10, then the orthonormal lαβ rotation.
    private static final double LMS_FLOOR = 1e-4;
    private static final double[][] RGB_TO_LMS = {
        {0.3811, 0.5783, 0.0402},
        {0.1967, 0.7244, 0.0782},
        {0.0241, 0.1288, 0.8444}};
    /** The exact inverse: the paper's printed inverse is rounded to 4 digits and would not round-trip. */
    private static final double[][] LMS_TO_RGB = invert(RGB_TO_LMS);
    private static final double INV_SQRT3 = 1 / Math.sqrt(3);
    private static final double INV_SQRT6 = 1 / Math.sqrt(6);
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    /** Planar sRGB -> planar lαβ (Reinhard 2001). {@code out} may be {@code rgb}. */
    public static float[] rgbToLalphabeta(float[] rgb, int n, float[] out) {
        out = ensure(out, n);
        for (int i = 0; i < n; i++) {
            double r = srgbToLinear(rgb[i]);
            double g = srgbToLinear(rgb[n + i]);
            double b = srgbToLinear(rgb[2 * n + i]);
            double l = Math.log10(Math.max(LMS_FLOOR, RGB_TO_LMS[0][0] * r + RGB_TO_LMS[0][1] * g + RGB_TO_LMS[0][2] * b));
            double m = Math.log10(Math.max(LMS_FLOOR, RGB_TO_LMS[1][0] * r + RGB_TO_LMS[1][1] * g + RGB_TO_LMS[1][2] * b));
            double s = Math.log10(Math.max(LMS_FLOOR, RGB_TO_LMS[2][0] * r + RGB_TO_LMS[2][1] * g + RGB_TO_LMS[2][2] * b));
            out[i] = (float) (INV_SQRT3 * (l + m + s));
            out[n + i] = (float) (INV_SQRT6 * (l + m - 2 * s));
            out[2 * n + i] = (float) (INV_SQRT2 * (l - m));
        }
        return out;
    }

    /** Planar lαβ -> planar sRGB, clamped to [0,1]. {@code out} may be {@code lab}. */
    public static float[] lalphabetaToRgb(float[] lab, int n, float[] out) {
        out = ensure(out, n);
        for (int i = 0; i < n; i++) {
            double a = INV_SQRT3 * lab[i];
            double bb = INV_SQRT6 * lab[n + i];
            double c = INV_SQRT2 * lab[2 * n + i];
            double l = Math.pow(10, a + bb + c);
            double m = Math.pow(10, a + bb - c);
            double s = Math.pow(10, a - 2 * bb);
            double r = LMS_TO_RGB[0][0] * l + LMS_TO_RGB[0][1] * m + LMS_TO_RGB[0][2] * s;
            double g = LMS_TO_RGB[1][0] * l + LMS_TO_RGB[1][1] * m + LMS_TO_RGB[1][2] * s;
            double b = LMS_TO_RGB[2][0] * l + LMS_TO_RGB[2][1] * m + LMS_TO_RGB[2][2] * s;
            out[i] = clamp01(linearToSrgb((float) r));
            out[n + i] = clamp01(linearToSrgb((float) g));
            out[2 * n + i] = clamp01(linearToSrgb((float) b));
        }
        return out;
    }

    /** Rec. 709 luma of sRGB-encoded values, a cheap structure channel for patch matching. */
    public static float[] luma(float[] rgb, int n, float[] out) {
        if (out == null || out.length < n) {
            out = new float[n];
        }
        for (int i = 0; i < n; i++) {
            out[i] = 0.2126f * rgb[i] + 0.7152f * rgb[n + i] + 0.0722f * rgb[2 * n + i];
        }
        return out;
    }

    private static double[][] invert(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2];
        double d = m[1][0], e = m[1][1], f = m[1][2];
        double g = m[2][0], h = m[2][1], i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[][] {
            {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
            {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
            {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }

    static float clamp01(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }

    private static double labF(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    private static double labFInv(double f) {
        double f3 = f * f * f;
        return f3 > 216.0 / 24389 ? f3 : (116 * f - 16) * 27 / 24389.0;
    }

    private static float[] ensure(float[] out, int n) {
        return out == null || out.length < 3 * n ? new float[3 * n] : out;
    }
}
