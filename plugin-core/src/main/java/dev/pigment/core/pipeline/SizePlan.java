package dev.pigment.core.pipeline;

import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;

/**
 * The size the UNet runs at versus the size the user asked for. Sizes that are not a multiple of
 * {@code multiple} are never rejected: sources are padded (edge pixels repeated) on the right and
 * bottom, and the result is cropped back to the requested size.
 */
record SizePlan(int width, int height, int paddedWidth, int paddedHeight, int downscale) {

    static SizePlan of(int width, int height, int multiple, int downscale) {
        return new SizePlan(width, height, roundUp(width, multiple), roundUp(height, multiple), downscale);
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    int latentWidth() {
        return paddedWidth / downscale;
    }

    int latentHeight() {
        return paddedHeight / downscale;
    }

    boolean padded() {
        return paddedWidth != width || paddedHeight != height;
    }

    RgbImage pad(RgbImage src) {
        if (!padded()) {
            return src;
        }
        int n = src.pixelCount();
        int m = paddedWidth * paddedHeight;
        float[] out = new float[3 * m];
        float[] d = src.data();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < paddedHeight; y++) {
                int sy = Math.min(y, src.height() - 1);
                for (int x = 0; x < paddedWidth; x++) {
                    out[c * m + y * paddedWidth + x] = d[c * n + sy * src.width() + Math.min(x, src.width() - 1)];
                }
            }
        }
        return RgbImage.wrap(paddedWidth, paddedHeight, out);
    }

    /** Pads a mask with zeros: the padding is never repainted. */
    Mask pad(Mask src) {
        if (!padded()) {
            return src;
        }
        float[] out = new float[paddedWidth * paddedHeight];
        for (int y = 0; y < src.height(); y++) {
            System.arraycopy(src.data(), y * src.width(), out, y * paddedWidth, src.width());
        }
        return Mask.wrap(paddedWidth, paddedHeight, out);
    }

    RgbImage cropBack(RgbImage generated) {
        return padded() ? generated.crop(0, 0, width, height) : generated;
    }
}
