package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;
import java.util.Objects;

/**
 * Reinhard, Ashikhmin, Gooch and Shirley (2001), "Color transfer between images": in a decorrelated space
 * each channel of the content is shifted and scaled so its mean and standard deviation become the
 * reference's. Cheap and global; also what the diffusion pipeline uses to colour-match a result to its
 * reference. With {@code preserveLuminance} the lightness channel is left alone (only colour moves).
 *
 * <p>With {@code keepNeutrals} (the default), near-white and near-black pixels of low saturation (paper, sky
 * glare, emoji backgrounds, shadows) neither count in the statistics nor take the tint: a white background
 * stays white instead of turning the reference's average colour.
 */
public final class ReinhardTransfer implements StyleTransfer {
    private final ColorSpaces.Space space;
    private final boolean preserveLuminance;
    private final boolean keepNeutrals;

    public ReinhardTransfer(ColorSpaces.Space space, boolean preserveLuminance, boolean keepNeutrals) {
        this.space = Objects.requireNonNull(space, "space");
        this.preserveLuminance = preserveLuminance;
        this.keepNeutrals = keepNeutrals;
    }

    /** Plain Reinhard: every pixel counts and moves. */
    public ReinhardTransfer(ColorSpaces.Space space, boolean preserveLuminance) {
        this(space, preserveLuminance, false);
    }

    /** CIE Lab, luminance transferred too, near-white and near-black kept. */
    public ReinhardTransfer() {
        this(ColorSpaces.Space.LAB, false, true);
    }

    @Override
    public String method() {
        return "color";
    }

    @Override
    public RgbImage transfer(RgbImage content, RgbImage reference, double strength, ProgressListener progress,
                             CancellationToken cancel) {
        StyleStrength.check(strength);
        int n = content.pixelCount();
        float[] c = space.fromRgb(content.data(), n);
        cancel.throwIfCancelled();
        float[] keep = keepNeutrals ? Neutrals.weights(content) : null;
        float[] refKeep = keepNeutrals ? Neutrals.weights(reference) : null;
        double[][] cs = Neutrals.meanStd(c, n, keep);
        double[][] rs = Neutrals.meanStd(space.fromRgb(reference.data(), reference.pixelCount()),
                reference.pixelCount(), refKeep);
        cancel.throwIfCancelled();
        float s = (float) strength;
        for (int ch = preserveLuminance ? 1 : 0; ch < 3; ch++) {
            // A flat channel has no spread to scale: only its mean moves.
            double scale = cs[1][ch] > 1e-6 ? rs[1][ch] / cs[1][ch] : 1.0;
            float a = (float) scale;
            float b = (float) (rs[0][ch] - scale * cs[0][ch]);
            int off = ch * n;
            for (int i = 0; i < n; i++) {
                float v = c[off + i];
                c[off + i] = v + s * (a * v + b - v);
            }
        }
        float[] rgb = space.toRgb(c, n);
        if (keep != null) {
            Neutrals.restore(rgb, content.data(), keep);
        }
        RgbImage out = RgbImage.wrap(content.width(), content.height(), rgb);
        progress.onProgress(Progress.of(Phase.RESTYLE, 1, 1));
        return out;
    }
}
