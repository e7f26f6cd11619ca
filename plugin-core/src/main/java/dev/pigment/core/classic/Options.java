package dev.pigment.core.classic;

import dev.pigment.core.api.EngineOptions;
import java.util.List;
import java.util.Map;

/** The classic engines' option reading, through the one {@link EngineOptions} reader. */
final class Options {
    private Options() {
    }

    static String choice(Map<String, String> options, String key, String fallback, List<String> allowed) {
        return EngineOptions.choice(options, key, fallback, allowed);
    }

    static int integer(Map<String, String> options, String key, int fallback, int min, int max) {
        return EngineOptions.integer(options, key, fallback, min, max);
    }

    static boolean bool(Map<String, String> options, String key, boolean fallback) {
        return EngineOptions.bool(options, key, fallback);
    }
}
