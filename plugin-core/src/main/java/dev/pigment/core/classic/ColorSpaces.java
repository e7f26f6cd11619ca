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
            double l = Math.log10(Math.max(LMS_FLOOR, 0.3811 * r + 0.5783 * g + 0.0402 * b));
            double m = Math.log10(Math.max(LMS_FLOOR, 0.1967 * r + 0.7244 * g + 0.0782 * b));
            double s = Math.log10(Math.max(LMS_FLOOR, 0.0241 * r + 0.1288 * g + 0.8444 * b));
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
            double r = 4.4679 * l - 3.5873 * m + 0.1193 * s;
            double g = -1.2186 * l + 2.3809 * m - 0.1624 * s;
            double b = 0.0497 * l - 0.2439 * m + 1.2045 * s;
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
