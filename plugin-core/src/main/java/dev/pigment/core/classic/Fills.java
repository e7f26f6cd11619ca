package dev.pigment.core.classic;

import dev.pigment.core.api.PigmentException;
import java.util.List;
import java.util.Map;

/**
 * Picks a {@link HoleFiller} by mode name, as the classic engine and the diffusion pre-fill do.
 *
 * <p>Modes: {@code patchmatch} (exemplar-based, {@link PatchMatchInpainter}), {@code telea} (fast
 * marching, {@link TeleaInpainter}), {@code blur} ({@link BlurFill}), {@code neutral} (grey,
 * {@link NeutralFill}). Options (lower-case-dashed, as in {@code GenerationRequest.options()}):
 * {@code patch-size} (odd, 3..31, default 5), {@code search} ({@code band} | {@code image}, default band),
 * {@code band-width} (pixels, default 80), {@code avoid} (rectangles {@code x,y,w,h[;...]} never copied
 * from, see {@link AvoidArea}), {@code transforms} ({@code none} | {@code mirror} | {@code rotate}, default
 * none: Generalized PatchMatch without resampling) for patchmatch; {@code radius} (1..100, default 5) for telea.
 */
public final class Fills {
    public static final String PATCHMATCH = "patchmatch";
    public static final String TELEA = "telea";
    public static final String BLUR = "blur";
    public static final String NEUTRAL = "neutral";
    public static final List<String> MODES = List.of(PATCHMATCH, TELEA, BLUR, NEUTRAL);
    public static final List<String> SEARCH_AREAS = List.of("image", "band");

    private Fills() {
    }

    /** The filler for {@code mode} with default options and seed 0. */
    public static HoleFiller forMode(String mode) {
        return forMode(mode, Map.of(), 0);
    }

    /**
     * The filler for {@code mode}, configured from {@code options}; {@code seed} (non-negative) drives
     * PatchMatch's random search.
     */
    public static HoleFiller forMode(String mode, Map<String, String> options, long seed) {
        String m = mode == null ? "" : mode.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (m) {
            case PATCHMATCH -> new PatchMatchInpainter(PatchMatchInpainter.Settings.DEFAULTS
                    .withPatchSize(Options.integer(options, "patch-size", PatchMatchInpainter.DEFAULT_PATCH_SIZE, 3, 31))
                    .withSearch(Options.choice(options, "search", "band", SEARCH_AREAS).equals("band"),
                            Options.integer(options, "band-width", PatchMatchInpainter.DEFAULT_BAND_WIDTH, 1, 1 << 16))
                    .withTransforms(Options.choice(options, "transforms", "none", PatchMatchInpainter.TRANSFORMS)),
                    AvoidArea.parse(options.get("avoid")), seed);
            case TELEA -> new TeleaInpainter(Options.integer(options, "radius", TeleaInpainter.DEFAULT_RADIUS, 1, 100));
            case BLUR -> new BlurFill();
            case NEUTRAL -> new NeutralFill();
            default -> throw PigmentException.badRequest("fill=" + mode + " is not known: use one of "
                    + String.join(", ", MODES) + ".");
        };
    }
}
