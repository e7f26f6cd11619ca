package dev.pigment.core.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the Automatic1111 "parameters" text that {@link Provenance#toA1111Text} writes, by A1111's own
 * rules: the last line holds the {@code Key: value} fields (values with commas, colons or quotes are
 * quoted), a line starting with {@code Negative prompt:} starts the negative prompt, and every line
 * before it is the prompt, newlines included.
 *
 * @param fields the fields of the last line, in order, unquoted
 */
public record A1111Parameters(String prompt, String negativePrompt, Map<String, String> fields) {
    static final String NEGATIVE = "Negative prompt:";

    public A1111Parameters {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static A1111Parameters parse(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        Map<String, String> fields = Map.of();
        if (!lines.isEmpty()) {
            Map<String, String> last = fields(lines.get(lines.size() - 1));
            if (last.size() >= 2) {
                fields = last;
                lines.remove(lines.size() - 1);
            }
        }
        List<String> prompt = new ArrayList<>();
        List<String> negative = null;
        for (String line : lines) {
            if (negative == null && line.startsWith(NEGATIVE)) {
                negative = new ArrayList<>(List.of(line.substring(NEGATIVE.length()).stripLeading()));
            } else {
                (negative == null ? prompt : negative).add(line);
            }
        }
        return new A1111Parameters(String.join("\n", prompt), negative == null ? "" : String.join("\n", negative), fields);
    }

    /** {@code Key: value, Key: "quoted, value"} into a map; keys without a colon end the parse. */
    static Map<String, String> fields(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            int colon = line.indexOf(": ", i);
            if (colon < 0) {
                return Map.of();
            }
            String key = line.substring(i, colon).strip();
            int v = colon + 2;
            StringBuilder value = new StringBuilder();
            if (v < n && line.charAt(v) == '"') {
                v++;
                while (v < n && line.charAt(v) != '"') {
                    if (line.charAt(v) == '\\' && v + 1 < n) {
                        v++;
                    }
                    value.append(line.charAt(v++));
                }
                v++;
            } else {
                int comma = line.indexOf(", ", v);
                int end = comma < 0 ? n : comma;
                value.append(line, v, end);
                v = end;
            }
            out.put(key, value.toString());
            if (v < n && !line.startsWith(", ", v)) {
                return Map.of();
            }
            i = v + 2;
        }
        return out;
    }
}
