package dev.pigment.core.classic;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;

/**
 * Makes a content image take on the look of a reference image while keeping its own structure.
 * The output has the content's size; the reference may have any size.
 */
public interface StyleTransfer {

    /** The {@code method} option value that selects this transfer, e.g. "color". */
    String method();

    /**
     * @param strength 0 = the content unchanged, 1 = the full transfer; values between blend
     */
    RgbImage transfer(RgbImage content, RgbImage reference, double strength, ProgressListener progress,
                      CancellationToken cancel);
}
