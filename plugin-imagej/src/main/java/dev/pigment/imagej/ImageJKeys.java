package dev.pigment.imagej;

import dev.pigment.core.api.RequestKeys;
import java.util.List;
import java.util.Set;

/**
 * The macro keys of every command, in dialog order. They are public: recorded macros and scripts depend on
 * them, and a test pins them. Request parameters use {@link RequestKeys} names; the rest are ImageJ-only.
 */
public final class ImageJKeys {
    public static final String REFERENCE = "reference";
    public static final String GROW = "grow";
    public static final String FEATHER = "feather";
    public static final String STACK = "stack";
    public static final String PREVIEW = "preview";
    /** Checkboxes: recorded as a bare key when ticked, left out when not. */
    public static final Set<String> FLAGS = Set.of(STACK, PREVIEW);
    /** Keys the plugin handles itself rather than passing to the core. */
    static final Set<String> PLUGIN_ONLY = Set.of(REFERENCE, GROW, FEATHER, STACK, PREVIEW);

    public static final List<String> TEXT_TO_IMAGE = List.of("prompt", "negative", "model", "width", "height",
            "steps", "guidance", "scheduler", "seed", "batch", PREVIEW);
    public static final List<String> IMAGE_TO_IMAGE = List.of("prompt", "negative", "model", "strength", "steps",
            "guidance", "scheduler", "seed", STACK, PREVIEW);
    public static final List<String> INPAINT = List.of("prompt", "negative", "model", "fill", GROW, FEATHER,
            "strength", "steps", "guidance", "scheduler", "seed", STACK, PREVIEW);
    public static final List<String> STYLE_TRANSFER = List.of(REFERENCE, "style", "strength", "prompt", "model",
            "method", "steps", "seed", STACK);

    private ImageJKeys() {
    }
}
