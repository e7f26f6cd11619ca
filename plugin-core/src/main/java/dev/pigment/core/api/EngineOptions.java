package dev.pigment.core.api;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one reader of engine options ({@code --option key=value}, {@link GenerationRequest#options()}):
 * unknown keys are refused with the known ones and a "did you mean", bad values name the key and what is
 * allowed. Every engine reads its options through here, so the messages read the same everywhere.
 */
public final class EngineOptions {
    private EngineOptions() {
    }

    /**
     * Refuses any key not in {@code known}.
     *
     * @param what who reads the options, for the message, e.g. "the classic engine for inpaint"
     */
    public static void requireKnown(Map<String, String> options, Collection<String> known, String what) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                String guess = closest(key, known);
                throw PigmentException.badRequest("Unknown option '" + key + "' for " + what + "."
                        + (guess == null ? "" : " Did you mean '" + guess + "'?")
                        + " Known options: " + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))) + ".");
            }
        }
    }

    /** The known key within edit distance 2 of {@code key} (the nearest), else null. */
    static String closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public static String choice(Map<String, String> options, String key, String fallback, List<String> allowed) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        String norm = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(norm)) {
            throw PigmentException.badRequest(key + "=" + v + " is not known: use one of "
                    + String.join(", ", allowed) + " (default " + fallback + ").");
        }
        return norm;
    }

    public static int integer(Map<String, String> options, String key, int fallback, int min, int max) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw PigmentException.badRequest(key + "=" + v + " is not a whole number: use " + min + ".." + max
                    + " (default " + fallback + ").");
        }
        if (parsed < min || parsed > max) {
            throw PigmentException.badRequest(key + "=" + v + " is out of range: use " + min + ".." + max
                    + " (default " + fallback + ").");
        }
        return parsed;
    }

    public static boolean bool(Map<String, String> options, String key, boolean fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "" -> {
                return true;
            }
            case "false", "no", "off", "0" -> {
                return false;
            }
            default -> throw PigmentException.badRequest(key + "=" + v + " is not a yes/no value: use true or false"
                    + " (default " + fallback + ").");
        }
    }
}
