package dev.pigment.core.image;

import java.awt.Rectangle;

/**
 * The part of an image an inpainting model sees: the mask's bounds grown by a padding that scales with
 * the image and the mask, made square where the image allows, clamped to the image, and the size that
 * region is generated at (the model's working resolution, aspect kept).
 *
 * <p>The padding follows krita-ai-diffusion's context crop: {@code max(longest image side / 16,
 * mask's average side / 2)}, the region at least the model's working side (so a small hole still gets
 * enough surroundings to match), a multiple of 8.
 *
 * @param region      the crop, in source pixels, inside the image
 * @param workWidth   the width the crop is generated at
 * @param workHeight  the height the crop is generated at
 */
public record ContextRegion(Rectangle region, int workWidth, int workHeight) {
    /** Generated sizes are multiples of this (the VAE's and UNet's common grid; pipelines pad further). */
    public static final int GRID = 8;

    public ContextRegion {
        region = new Rectangle(region);
        if (region.width < 1 || region.height < 1 || workWidth < 1 || workHeight < 1) {
            throw new IllegalArgumentException("empty context region " + region + " at " + workWidth + "x" + workHeight);
        }
    }

    @Override
    public Rectangle region() {
        return new Rectangle(region);
    }

    /**
     * @param maskBounds  the mask's bounds (see {@link MaskOps#bounds})
     * @param workWidth   the model's working width (its recommended size)
     * @param workHeight  the model's working height
     */
    public static ContextRegion around(Rectangle maskBounds, int imageWidth, int imageHeight, int workWidth,
                                       int workHeight) {
        int longest = Math.max(imageWidth, imageHeight);
        int average = (maskBounds.width + maskBounds.height) / 2;
        int padding = Math.max(longest / 16, average / 2);
        int side = Math.max(Math.max(maskBounds.width, maskBounds.height) + 2 * padding,
                Math.max(workWidth, workHeight));
        side = roundUp(side, GRID);
        int w = Math.min(side, imageWidth);
        int h = Math.min(side, imageHeight);
        int x = clamp(maskBounds.x + maskBounds.width / 2 - w / 2, 0, imageWidth - w);
        int y = clamp(maskBounds.y + maskBounds.height / 2 - h / 2, 0, imageHeight - h);
        Rectangle region = new Rectangle(x, y, w, h);
        int[] work = scaledToArea(w, h, (long) workWidth * workHeight);
        return new ContextRegion(region, work[0], work[1]);
    }

    /** {@code w x h} scaled (aspect kept) to about {@code area} pixels, each side a multiple of {@link #GRID}. */
    public static int[] scaledToArea(int w, int h, long area) {
        double s = Math.sqrt((double) area / ((long) w * h));
        return new int[] {Math.max(GRID, roundNearest(w * s)), Math.max(GRID, roundNearest(h * s))};
    }

    /** How many source pixels one generated pixel covers (above 1 when the crop was shrunk to fit the model). */
    public double scale() {
        return (double) region.width / workWidth;
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    private static int roundNearest(double v) {
        return (int) Math.round(v / GRID) * GRID;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
