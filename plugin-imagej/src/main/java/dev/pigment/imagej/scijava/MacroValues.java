package dev.pigment.imagej.scijava;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The macro-key values a SciJava command hands to the menu command's code. A parameter a script set to null is
 * left out, as a macro that omits the key: the menu command's default applies instead of a null reaching the
 * request or the replayable macro line.
 */
final class MacroValues {
    private final Map<String, String> values = new LinkedHashMap<>();

    MacroValues put(String key, Object value) {
        if (value != null) {
            values.put(key, value.toString());
        }
        return this;
    }

    Map<String, String> map() {
        return values;
    }
}
