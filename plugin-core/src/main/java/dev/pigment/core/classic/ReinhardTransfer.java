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
 */
public final class ReinhardTransfer implements StyleTransfer {
    private final ColorSpaces.Space space;
    private final boolean preserveLuminance;

    public ReinhardTransfer(ColorSpaces.Space space, boolean preserveLuminance) {
        this.space = Objects.requireNonNull(space, "space");
        this.preserveLuminance = preserveLuminance;
    }

    /** CIE Lab, luminance transferred too. */
    public ReinhardTransfer() {
        this(ColorSpaces.Space.LAB, false);
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
        double[][] cs = ColorSpaces.meanStd(c, n);
        double[][] rs = ColorSpaces.meanStd(space.fromRgb(reference.data(), reference.pixelCount()),
                reference.pixelCount());
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
        RgbImage out = RgbImage.wrap(content.width(), content.height(), space.toRgb(c, n));
        progress.onProgress(Progress.of(Phase.RESTYLE, 1, 1));
        return out;
    }
}
