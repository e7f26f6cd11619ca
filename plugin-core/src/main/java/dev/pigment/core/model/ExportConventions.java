package dev.pigment.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What an ONNX export of a flow-matching DiT does not carry itself: pigment.json's {@code "export"} object.
 * Defaults are Z-Image Turbo's, as models/export/zimage_onnx.py writes it.
 *
 * @param timestep        what the transformer's {@code timestep} input is: {@code 1-sigma} (Z-Image),
 *                        {@code sigma}, or {@code t/1000} (Flux-style: the scheduler's timestep / 1000)
 * @param negateOutput    whether the output is negated before the scheduler step (Z-Image predicts -velocity)
 * @param rope            how positions are passed: {@code ids} (3-axis position ids; the graph holds the tables) or
 *                        {@code tables} (cos/sin tables Pigment computes from axes_dims, axes_lens and rope_theta as
 *                        diffusers' RopeEmbedder does; pipeline/RopeTables)
 * @param padTokensTo     caption and image token counts are padded to a multiple of this (Z-Image: 32)
 * @param promptTemplate  the chat template around the prompt, with {@code {prompt}} where it goes
 * @param maxPromptTokens prompt tokens read at most (template included), as the reference tokenizer truncates
 * @param hiddenState     which text encoder hidden state the export returns (documentation: -2 for Z-Image)
 * @param referenceScale  0 when the transformer takes no reference tokens; else {@code "reference_tokens":
 *                        {"scale": N}}: restyle appends each reference's patchified latents after the noisy image
 *                        tokens, reference i at frame position (image frame + N + N * i), as diffusers' Flux2
 *                        {@code _prepare_image_ids(image_latents, scale)} offsets its T coordinate
 */
public record ExportConventions(String timestep, boolean negateOutput, String rope, int padTokensTo,
                                String promptTemplate, int maxPromptTokens, int hiddenState, int referenceScale) {
    public static final List<String> TIMESTEPS = List.of("1-sigma", "sigma", "t/1000");
    public static final String ROPE_TABLES = "tables";
    public static final List<String> ROPES = List.of("ids", ROPE_TABLES);
    static final Set<String> KEYS = Set.of("timestep", "negate_output", "rope", "pad_tokens_to", "prompt_template",
            "max_prompt_tokens", "hidden_state", "reference_tokens");
    public static final String QWEN_TEMPLATE = "<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n";
    /** Declared after the lists the constructor checks against (static initialisation runs in order). */
    public static final ExportConventions Z_IMAGE =
            new ExportConventions("1-sigma", true, "ids", 32, QWEN_TEMPLATE, 512, -2, 0);

    public ExportConventions {
        if (!TIMESTEPS.contains(timestep)) {
            throw new IllegalArgumentException("timestep '" + timestep + "' is not one of " + TIMESTEPS);
        }
        if (!ROPES.contains(rope)) {
            throw new IllegalArgumentException("rope '" + rope + "' is not one of " + ROPES);
        }
        if (padTokensTo < 1 || padTokensTo > 1024) {
            throw new IllegalArgumentException("pad_tokens_to " + padTokensTo + " is outside 1..1024");
        }
        if (promptTemplate == null || !promptTemplate.contains("{prompt}")) {
            throw new IllegalArgumentException("prompt_template must contain {prompt}: " + promptTemplate);
        }
        if (maxPromptTokens < 1 || maxPromptTokens > 32768) {
            throw new IllegalArgumentException("max_prompt_tokens " + maxPromptTokens + " is outside 1..32768");
        }
        if (referenceScale < 0 || referenceScale > 1024) {
            throw new IllegalArgumentException("reference_tokens scale " + referenceScale + " is outside 1..1024");
        }
    }

    /** The template with the prompt in place. */
    public String applyTemplate(String prompt) {
        return promptTemplate.replace("{prompt}", prompt);
    }

    /**
     * Reads the object, each absent key taking Z-Image's value.
     *
     * @throws JsonFiles.JsonProblem naming the key, the bad value and the accepted ones
     */
    static ExportConventions parse(JsonObject o, List<String> warnings) throws JsonFiles.JsonProblem {
        for (String key : o.keySet()) {
            if (!KEYS.contains(key)) {
                warnings.add(Manifest.FILE_NAME + ": unknown key 'export." + key + "' is ignored (known keys: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String timestep = choice(o, "timestep", TIMESTEPS, Z_IMAGE.timestep);
        String rope = choice(o, "rope", ROPES, Z_IMAGE.rope);
        boolean negate = Z_IMAGE.negateOutput;
        JsonElement n = o.get("negate_output");
        if (n != null) {
            if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isBoolean()) {
                throw new JsonFiles.JsonProblem("key 'export.negate_output' must be true or false, not " + n, null);
            }
            negate = n.getAsBoolean();
        }
        int pad = whole(o, "pad_tokens_to", 1, 1024, Z_IMAGE.padTokensTo);
        int max = whole(o, "max_prompt_tokens", 1, 32768, Z_IMAGE.maxPromptTokens);
        int hidden = whole(o, "hidden_state", -1024, 1024, Z_IMAGE.hiddenState);
        String template = Z_IMAGE.promptTemplate;
        JsonElement t = o.get("prompt_template");
        if (t != null) {
            if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString() || !t.getAsString().contains("{prompt}")) {
                throw new JsonFiles.JsonProblem("key 'export.prompt_template' must be a string containing {prompt}, not "
                        + t, null);
            }
            template = t.getAsString();
        }
        return new ExportConventions(timestep, negate, rope, pad, template, max, hidden, referenceScale(o));
    }

    /** Whether the transformer reads reference tokens appended to its image sequence. */
    public boolean takesReferenceTokens() {
        return referenceScale > 0;
    }

    private static int referenceScale(JsonObject o) throws JsonFiles.JsonProblem {
        JsonElement e = o.get("reference_tokens");
        if (e == null) {
            return 0;
        }
        if (!e.isJsonObject() || !e.getAsJsonObject().keySet().equals(Set.of("scale"))) {
            throw new JsonFiles.JsonProblem("key 'export.reference_tokens' is " + e + "; use {\"scale\": N} (reference i"
                    + " sits at frame position image + N + N * i, as diffusers' Flux2; N = 10 there)", null);
        }
        JsonElement n = e.getAsJsonObject().get("scale");
        if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isNumber() || n.getAsDouble() != Math.rint(n.getAsDouble())
                || n.getAsDouble() < 1 || n.getAsDouble() > 1024) {
            throw new JsonFiles.JsonProblem("key 'export.reference_tokens.scale' is " + n
                    + "; use a whole number from 1 to 1024", null);
        }
        return n.getAsInt();
    }

    private static String choice(JsonObject o, String key, List<String> allowed, String fallback)
            throws JsonFiles.JsonProblem {
        JsonElement e = o.get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !allowed.contains(e.getAsString())) {
            throw new JsonFiles.JsonProblem("key 'export." + key + "' is " + e + "; use one of " + allowed, null);
        }
        return e.getAsString();
    }

    private static int whole(JsonObject o, String key, int min, int max, int fallback) throws JsonFiles.JsonProblem {
        JsonElement e = o.get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() < min || e.getAsDouble() > max) {
            throw new JsonFiles.JsonProblem("key 'export." + key + "' is " + e + "; use a whole number from " + min
                    + " to " + max, null);
        }
        return e.getAsInt();
    }
}
