package dev.pigment.core.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What produced an image: enough to reproduce it. {@code parameters} holds every resolved
 * parameter (steps, guidance, scheduler, strength, size...) as strings, in a stable order.
 */
public record Provenance(String modelId, String modelSha256, Task task, String prompt, String negativePrompt,
                         Map<String, String> parameters) {
    /** Parameters that {@link #toA1111Text} writes under Automatic1111's own names. */
    private static final java.util.Set<String> A1111_NAMED =
            java.util.Set.of("steps", "scheduler", "guidance", "width", "height", "strength", "seed");

    public Provenance {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(task, "task");
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * How every engine writes a number into {@code parameters}: the shortest decimal that reads back as the same
     * double, without an exponent or a trailing ".0" (7.5, 5, 0.0001), so a replay parses exactly what ran and
     * the text reads as Automatic1111's does. Non-finite values keep Java's spelling (NaN, Infinity).
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return v == 0 ? "0" : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * The Automatic1111 "parameters" text: prompt line, "Negative prompt:" line, then
     * "Steps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, Model: x, ..." ; no Seed field
     * for {@link GeneratedImage#NO_SEED}.
     */
    public String toA1111Text(long seed) {
        StringBuilder sb = new StringBuilder(unambiguous(prompt));
        if (!negativePrompt.isEmpty()) {
            sb.append("\nNegative prompt: ").append(negativePrompt);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        putIf(fields, "Steps", parameters.get("steps"));
        putIf(fields, "Sampler", parameters.get("scheduler"));
        putIf(fields, "CFG scale", parameters.get("guidance"));
        if (seed != GeneratedImage.NO_SEED) {
            fields.put("Seed", Long.toString(seed));
        }
        if (parameters.containsKey("width") && parameters.containsKey("height")) {
            fields.put("Size", parameters.get("width") + "x" + parameters.get("height"));
        }
        putIf(fields, "Model hash", modelSha256 == null || modelSha256.length() < 10 ? null : modelSha256.substring(0, 10));
        fields.put("Model", modelId);
        putIf(fields, "Denoising strength", parameters.get("strength"));
        fields.put("Task", task.id());
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String k = e.getKey();
            if (!A1111_NAMED.contains(k)) {
                fields.put(k, e.getValue());
            }
        }
        sb.append('\n');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            String v = e.getValue();
            if (v.contains(",") || v.contains(":") || v.contains("\"")) {
                v = '"' + v.replace("\"", "\\\"") + '"';
            }
            sb.append(e.getKey()).append(": ").append(v);
        }
        return sb.toString();
    }

    /**
     * Newlines in a prompt are kept (readers take every line before the "Negative prompt:" line and the
     * fields line as the prompt, see {@link A1111Parameters}), except before a line that itself starts
     * with "Negative prompt:", which would read as the negative prompt: that newline becomes a space (and
     * such a first line gets a leading space); tokenizers read either as the same word break.
     */
    private static String unambiguous(String text) {
        String marker = A1111Parameters.NEGATIVE.strip();
        String oneNegative = text.replace("\n" + marker, " " + marker);
        return oneNegative.startsWith(marker) ? " " + oneNegative : oneNegative;
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
