package dev.pigment.core.classic;

import dev.pigment.core.api.PigmentException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the classic engines' string options, failing with a message that names the key and the allowed values. */
final class Options {
    private Options() {
    }

    static String choice(Map<String, String> options, String key, String fallback, List<String> allowed) {
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

    static int integer(Map<String, String> options, String key, int fallback, int min, int max) {
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

    static boolean bool(Map<String, String> options, String key, boolean fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> {
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
