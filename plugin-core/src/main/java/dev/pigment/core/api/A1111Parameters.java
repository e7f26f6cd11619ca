package dev.pigment.core.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Automatic1111 "parameters" text that {@link Provenance#toA1111Text} writes (and other tools write
 * in the same shape) back into {@link RequestKeys} names, so a PNG's parameters can be replayed through
 * {@link GenerationRequest#fromParameters}: prompt lines, an optional "Negative prompt:" line, then one line of
 * {@code Key: value} fields separated by ", " (values with a comma, colon or quote are double-quoted).
 */
public final class A1111Parameters {
    /** A1111 field names and the request keys they map to. */
    private static final Map<String, String> NAMES = Map.of("steps", "steps", "sampler", "scheduler",
            "cfg scale", "guidance", "seed", "seed", "model", "model", "denoising strength", "strength",
            "task", "task");

    /** The start of the negative prompt's first line. */
    static final String NEGATIVE = "Negative prompt: ";

    private A1111Parameters() {
    }

    /**
     * The request parameters in {@code text}; fields with no request key keep their name, lower-cased
     * (Pigment's own engine options such as {@code fill} come back that way). Hash and size are split or dropped.
     */
    public static Map<String, String> parse(String text) {
        if (text == null || text.isBlank()) {
            throw PigmentException.badRequest("There are no generation parameters to read: the text is empty.");
        }
        List<String> lines = new ArrayList<>(List.of(text.replace("\r\n", "\n").split("\n", -1)));
        String fieldLine = lines.remove(lines.size() - 1);
        // A1111's rule: every line before the first "Negative prompt:" line is the prompt, every line after it
        // (up to the fields line) the negative prompt; Provenance writes prompts so that this is unambiguous.
        List<String> prompt = new ArrayList<>();
        List<String> negative = null;
        for (String line : lines) {
            if (negative == null && line.startsWith(NEGATIVE)) {
                negative = new ArrayList<>(List.of(line.substring(NEGATIVE.length())));
            } else {
                (negative == null ? prompt : negative).add(line);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("prompt", String.join("\n", prompt));
        out.put("negative", negative == null ? "" : String.join("\n", negative));
        for (String[] kv : fields(fieldLine)) {
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            if (key.equals("size")) {
                String[] wh = kv[1].split("x");
                if (wh.length == 2) {
                    out.put("width", wh[0].strip());
                    out.put("height", wh[1].strip());
                }
            } else if (!key.equals("model hash")) {
                out.put(NAMES.getOrDefault(key, key), kv[1]);
            }
        }
        return out;
    }

    /** Splits "A: 1, B: \"x, y\"" into key/value pairs, honouring double quotes. */
    private static List<String[]> fields(String line) {
        List<String[]> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            int colon = line.indexOf(": ", i);
            if (colon < 0) {
                break;
            }
            String key = line.substring(i, colon);
            int j = colon + 2;
            StringBuilder value = new StringBuilder();
            if (j < line.length() && line.charAt(j) == '"') {
                j++;
                while (j < line.length() && line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\' && j + 1 < line.length()) {
                        j++;
                    }
                    value.append(line.charAt(j++));
                }
                j++;
            } else {
                int comma = line.indexOf(", ", j);
                int end = comma < 0 ? line.length() : comma;
                value.append(line, j, end);
                j = end;
            }
            out.add(new String[] {key, value.toString()});
            i = line.startsWith(", ", j) ? j + 2 : line.length();
        }
        return out;
    }
}
