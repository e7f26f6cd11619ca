package dev.pigment.core.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of request parameters: name, type, range, default and help text. Front ends read it instead
 * of restating ranges and spellings: the CLI's descriptions, ImageJ's dialog fields and macro keys, the bridge's
 * JSON fields and the provenance keys all use these names, so {@code run("Text to Image...", "prompt=[red heart]
 * steps=8")} and a provenance record decode through the same {@link GenerationRequest#fromParameters(Map)}.
 *
 * <p>Names are lower-case words joined by dashes: ImageJ macro keys are the first word of a dialog label,
 * lower-cased, so a name must survive that rule unchanged (no spaces, no colon, no upper case).
 */
public final class RequestKeys {
    /** How a value is written as text. */
    public enum Type { TEXT, INTEGER, NUMBER, CHOICE, FLAG }

    /**
     * One parameter.
     *
     * @param name         the key as written in macros, JSON, provenance and {@code --option}
     * @param aliases      older or longer spellings accepted when decoding (e.g. provenance's "style-strength")
     * @param type         how the value is parsed
     * @param min          smallest value (INTEGER, NUMBER), else NaN
     * @param max          largest value (INTEGER, NUMBER), else NaN
     * @param choices      allowed values (CHOICE), else empty
     * @param defaultValue the value meaning "not given" as text ("" = the model's or engine's own default)
     * @param help         one sentence for dialogs, CLI help and docs
     * @param engineOption true when the key is an engine option ({@link GenerationRequest#options()}) rather
     *                     than a request field
     */
    public record Key(String name, List<String> aliases, Type type, double min, double max, List<String> choices,
                      String defaultValue, String help, boolean engineOption) {
        public Key {
            if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("key name '" + name + "' is not lower-case-dashed");
            }
            aliases = List.copyOf(aliases);
            choices = List.copyOf(choices);
        }

        /** True when {@code key} is this parameter's name or one of its aliases (case-insensitive). */
        public boolean matches(String key) {
            String k = key.toLowerCase(Locale.ROOT);
            return name.equals(k) || aliases.contains(k);
        }

        /** The range as text for messages, e.g. "0..500". */
        public String range() {
            return switch (type) {
                case INTEGER -> (long) min + ".." + (long) max;
                case NUMBER -> Provenance.number(min) + ".." + Provenance.number(max);
                case CHOICE -> String.join(", ", choices);
                case FLAG -> "true or false";
                case TEXT -> "any text";
            };
        }

        int parseInt(String value) {
            return (int) parseLong(value);
        }

        long parseLong(String value) {
            try {
                long v = Long.parseLong(value.strip());
                checkRange(value, v);
                return v;
            } catch (NumberFormatException e) {
                throw PigmentException.badRequest(name + "=" + value + " is not a whole number: use " + range() + ".");
            }
        }

        double parseDouble(String value) {
            double v;
            try {
                v = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw PigmentException.badRequest(name + "=" + value + " is not a number: use " + range() + ".");
            }
            checkRange(value, v);
            return v;
        }

        private void checkRange(String text, double v) {
            if (!(v >= min && v <= max)) {
                throw PigmentException.badRequest(name + "=" + text + " is out of range: use " + range() + ".");
            }
        }
    }

    public static final Key TASK = choice("task", List.of(), List.of("text-to-image", "image-to-image", "inpaint",
            "restyle"), "text-to-image", "What to do.", false);
    public static final Key PROMPT = text("prompt", List.of(), "", "What to draw.");
    public static final Key NEGATIVE = text("negative", List.of("negative-prompt"), "",
            "What to steer away from (used when guidance is above 1).");
    public static final Key MODEL = text("model", List.of("model-id"), "demo",
            "A model id from the registry, a model folder, or 'classic' for the weight-free engines.");
    public static final Key WIDTH = integer("width", 0, GenerationRequest.MAX_SIDE, "0",
            "Output width in pixels; 0 = the model's recommended size or the source's.");
    public static final Key HEIGHT = integer("height", 0, GenerationRequest.MAX_SIDE, "0",
            "Output height in pixels; 0 = the model's recommended size or the source's.");
    public static final Key STEPS = integer("steps", 0, GenerationRequest.MAX_STEPS, "0",
            "Denoising steps; 0 = the model's recommendation.");
    public static final Key GUIDANCE = number("guidance", List.of(), 0, 100, "",
            "Classifier-free guidance scale: above 1 it is on; 0 or 1 (anything up to 1) turns it off; empty = the"
                    + " model's recommendation.");
    public static final Key SCHEDULER = text("scheduler", List.of(), "",
            "euler, euler-a, ddim, dpm++2m, dpm++2m-karras, lcm, flow-match-euler; empty = the model's own.");
    public static final Key STRENGTH = number("strength", List.of(), 0, 1, "",
            "How much of the source may change, 0..1 (0 returns it untouched); empty = the default.");
    public static final Key STYLE = number("style", List.of("style-strength"), 0, 1, "",
            "How strongly the reference's look applies, 0..1; empty = the default.");
    public static final Key SEED = new Key("seed", List.of(), Type.INTEGER, GenerationRequest.RANDOM_SEED,
            Long.MAX_VALUE, List.of(), "-1", "Seed of the first image; -1 = random (the seed used is recorded).", false);
    public static final Key BATCH = integer("batch", 1, GenerationRequest.MAX_BATCH, "1",
            "Number of images; image i uses seed + i.");

    /** Engine options: decoded into {@link GenerationRequest#options()} under the same names. */
    public static final Key FILL = choice("fill", List.of(), List.of("patchmatch", "telea", "blur", "neutral", "none"),
            "", "Inpaint fill: classic engine's method, or the diffusion pre-fill (none = keep the source).", true);
    public static final Key FEATHER = option(integer("feather", 0, 256, "",
            "Soft edge of the inpaint mask in pixels; empty = the engine's default."));
    public static final Key PATCH_SIZE = option(integer("patch-size", 3, 31, "",
            "Patch side for PatchMatch (odd, 3..31) or texture restyle (odd, 3..15)."));
    public static final Key SEARCH = choice("search", List.of(), List.of("image", "band"), "band",
            "Where PatchMatch looks for patches: the whole image or a band around the hole.", true);
    public static final Key BAND_WIDTH = option(integer("band-width", 1, GenerationRequest.MAX_SIDE, "80",
            "Width in pixels of the band PatchMatch searches when search=band."));
    public static final Key RADIUS = option(integer("radius", 1, 100, "5", "Neighbourhood radius of the Telea fill."));
    public static final Key METHOD = choice("method", List.of(), List.of("color", "distribution", "texture"), "color",
            "Classic restyle method.", true);
    public static final Key SPACE = choice("space", List.of(), List.of("lab", "lalphabeta"), "lab",
            "Colour space of the color and distribution restyles.", true);
    public static final Key PRESERVE_LUMINANCE = new Key("preserve-luminance", List.of(), Type.FLAG, Double.NaN,
            Double.NaN, List.of(), "false", "Keep the source's brightness when restyling.", true);
    public static final Key ITERATIONS = option(integer("iterations", 1, 200, "20",
            "Iterations of the distribution restyle."));
    public static final Key DECODER = choice("decoder", List.of(), List.of("full", "tiny"), "full",
            "Final image decoder: the model's VAE, or its tiny TAESD decoder (vae_decoder_tiny/; faster, approximate).",
            true);

    private static final List<Key> REQUEST = List.of(TASK, PROMPT, NEGATIVE, MODEL, WIDTH, HEIGHT, STEPS, GUIDANCE,
            SCHEDULER, STRENGTH, STYLE, SEED, BATCH);
    private static final List<Key> ENGINE = List.of(FILL, FEATHER, PATCH_SIZE, SEARCH, BAND_WIDTH, RADIUS, METHOD,
            SPACE, PRESERVE_LUMINANCE, ITERATIONS, DECODER);

    private RequestKeys() {
    }

    /** The request fields, in dialog order. */
    public static List<Key> requestKeys() {
        return REQUEST;
    }

    /** The engine options this version knows. */
    public static List<Key> engineOptions() {
        return ENGINE;
    }

    /** Every key: request fields first, then engine options. */
    public static List<Key> all() {
        return java.util.stream.Stream.concat(REQUEST.stream(), ENGINE.stream()).toList();
    }

    /** The key whose name or alias is {@code name}. */
    public static Optional<Key> find(String name) {
        return all().stream().filter(k -> k.matches(name)).findFirst();
    }

    /** Normalises a map's keys to canonical names; an alias given together with its name is refused. */
    static Map<String, String> canonical(Map<String, String> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String name = find(e.getKey()).map(Key::name).orElse(e.getKey().toLowerCase(Locale.ROOT));
            if (out.put(name, e.getValue()) != null) {
                throw PigmentException.badRequest("'" + name + "' is given twice (as '" + e.getKey()
                        + "' and under another spelling): give it once.");
            }
        }
        return out;
    }

    /**
     * Decodes text parameters (macro options, JSON fields, provenance) into a builder. Known request keys set
     * the request's fields; every other key becomes an engine option under its canonical name, for the engine
     * to use or note as unknown. An empty value means "not given".
     */
    static GenerationRequest.Builder decode(Map<String, String> parameters) {
        Map<String, String> p = canonical(parameters);
        String taskId = p.getOrDefault(TASK.name(), "");
        GenerationRequest.Builder b = GenerationRequest.builder(taskId.isBlank() ? Task.TEXT_TO_IMAGE : Task.fromId(taskId.strip()));
        b.model(textOr(p, MODEL, MODEL.defaultValue()));
        b.prompt(textOr(p, PROMPT, ""));
        b.negativePrompt(textOr(p, NEGATIVE, ""));
        b.size(given(p, WIDTH) ? WIDTH.parseInt(p.get("width")) : 0, given(p, HEIGHT) ? HEIGHT.parseInt(p.get("height")) : 0);
        if (given(p, STEPS)) {
            b.steps(STEPS.parseInt(p.get(STEPS.name())));
        }
        if (given(p, GUIDANCE)) {
            b.guidance(GUIDANCE.parseDouble(p.get(GUIDANCE.name())));
        }
        b.scheduler(given(p, SCHEDULER) ? p.get(SCHEDULER.name()).strip() : null);
        if (given(p, STRENGTH)) {
            b.strength(STRENGTH.parseDouble(p.get(STRENGTH.name())));
        }
        if (given(p, STYLE)) {
            b.styleStrength(STYLE.parseDouble(p.get(STYLE.name())));
        }
        if (given(p, SEED)) {
            b.seed(SEED.parseLong(p.get(SEED.name())));
        }
        if (given(p, BATCH)) {
            b.batch(BATCH.parseInt(p.get(BATCH.name())));
        }
        p.forEach((k, v) -> {
            if (REQUEST.stream().noneMatch(r -> r.name().equals(k)) && v != null && !v.isBlank()) {
                b.option(k, v.strip());
            }
        });
        return b;
    }

    private static boolean given(Map<String, String> p, Key key) {
        String v = p.get(key.name());
        return v != null && !v.isBlank();
    }

    private static String textOr(Map<String, String> p, Key key, String fallback) {
        return given(p, key) ? p.get(key.name()) : fallback;
    }

    private static Key text(String name, List<String> aliases, String def, String help) {
        return new Key(name, aliases, Type.TEXT, Double.NaN, Double.NaN, List.of(), def, help, false);
    }

    private static Key integer(String name, int min, int max, String def, String help) {
        return new Key(name, List.of(), Type.INTEGER, min, max, List.of(), def, help, false);
    }

    private static Key number(String name, List<String> aliases, double min, double max, String def, String help) {
        return new Key(name, aliases, Type.NUMBER, min, max, List.of(), def, help, false);
    }

    private static Key choice(String name, List<String> aliases, List<String> choices, String def, String help,
                              boolean engineOption) {
        return new Key(name, aliases, Type.CHOICE, Double.NaN, Double.NaN, choices, def, help, engineOption);
    }

    private static Key option(Key k) {
        return new Key(k.name(), k.aliases(), k.type(), k.min(), k.max(), k.choices(), k.defaultValue(), k.help(), true);
    }

}
