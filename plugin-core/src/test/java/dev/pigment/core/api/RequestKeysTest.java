package dev.pigment.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestKeysTest {

    /** These spellings are public: macros, JSON clients and stored provenance use them. Change = breaking change. */
    @Test
    void keySpellingsArePinned() {
        assertEquals(List.of("task", "prompt", "negative", "model", "width", "height", "steps", "guidance",
                "scheduler", "strength", "style", "seed", "batch"),
                RequestKeys.requestKeys().stream().map(RequestKeys.Key::name).toList());
        assertEquals(List.of("fill", "feather", "patch-size", "search", "band-width", "radius", "method", "space",
                "preserve-luminance", "iterations", "decoder"),
                RequestKeys.engineOptions().stream().map(RequestKeys.Key::name).toList());
    }

    /**
     * ImageJ's Macro/Recorder key is the dialog label's first word, cut at a space or ':' and lower-cased.
     * A dialog whose label starts with the key name must record exactly that name.
     */
    @Test
    void everyKeySurvivesImageJMacroKeyRule() {
        for (RequestKeys.Key k : RequestKeys.all()) {
            String label = k.name() + " (" + k.help() + ")";
            assertEquals(k.name(), imageJTrimKey(label), k.name());
            assertTrue(k.help().length() > 10, "help of " + k.name());
        }
        long distinct = RequestKeys.all().stream().map(RequestKeys.Key::name).distinct().count();
        assertEquals(RequestKeys.all().size(), distinct, "names must be unique (ImageJ warns on duplicates)");
    }

    private static String imageJTrimKey(String label) {
        int i = label.indexOf(' ');
        String key = i > 0 ? label.substring(0, i) : label;
        int colon = key.indexOf(':');
        key = colon > 0 ? key.substring(0, colon) : key;
        return key.toLowerCase(Locale.US);
    }

    @Test
    void fromParametersSetsEveryRequestField() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("prompt", "red heart");
        p.put("negative", "blurry");
        p.put("model", "demo");
        p.put("width", "64");
        p.put("height", "32");
        p.put("steps", "8");
        p.put("guidance", "4.5");
        p.put("scheduler", "ddim");
        p.put("seed", "7");
        p.put("batch", "2");
        p.put("fill", "telea");
        GenerationRequest r = GenerationRequest.fromParameters(p).build();
        assertEquals(Task.TEXT_TO_IMAGE, r.task());
        assertEquals("red heart", r.prompt());
        assertEquals("blurry", r.negativePrompt());
        assertEquals("demo", r.modelId());
        assertEquals(64, r.width());
        assertEquals(32, r.height());
        assertEquals(8, r.steps());
        assertEquals(4.5, r.guidance());
        assertEquals("ddim", r.scheduler());
        assertEquals(7, r.seed());
        assertEquals(2, r.batch());
        assertEquals(Map.of("fill", "telea"), r.options());
    }

    @Test
    void emptyValuesMeanDefaultsAndAliasesDecode() {
        GenerationRequest r = GenerationRequest.fromParameters(Map.of("prompt", "x", "steps", "", "scheduler", " ",
                "negative-prompt", "dull")).build();
        assertEquals(0, r.steps());
        assertEquals(null, r.scheduler());
        assertEquals("dull", r.negativePrompt());
        assertEquals("demo", r.modelId());
        assertEquals(-1, r.seed());
        assertTrue(Double.isNaN(r.strength()));
        GenerationRequest restyle = GenerationRequest.fromParameters(Map.of("task", "restyle", "style-strength", "0.25",
                "strength", "0.5", "model", "classic")).source(dev.pigment.core.image.RgbImage.filled(4, 4, 0.5f, 0.5f, 0.5f))
                .reference(dev.pigment.core.image.RgbImage.filled(4, 4, 0.5f, 0.5f, 0.5f)).build();
        assertEquals(Task.RESTYLE, restyle.task());
        assertEquals(0.25, restyle.styleStrength());
        assertEquals(0.5, restyle.strength());
    }

    @Test
    void badValuesNameTheKeyAndTheRange() {
        PigmentException e = assertThrows(PigmentException.class,
                () -> GenerationRequest.fromParameters(Map.of("steps", "-1")));
        assertEquals("steps=-1 is out of range: use 0..500.", e.getMessage());
        e = assertThrows(PigmentException.class, () -> GenerationRequest.fromParameters(Map.of("steps", "ten")));
        assertEquals("steps=ten is not a whole number: use 0..500.", e.getMessage());
        e = assertThrows(PigmentException.class, () -> GenerationRequest.fromParameters(Map.of("guidance", "NaN")));
        assertTrue(e.getMessage().startsWith("guidance=NaN is out of range"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> GenerationRequest.fromParameters(Map.of("strength", "1.5")));
        assertEquals("strength=1.5 is out of range: use 0..1.", e.getMessage());
        e = assertThrows(PigmentException.class, () -> GenerationRequest.fromParameters(Map.of("seed", "-2")));
        assertTrue(e.getMessage().startsWith("seed=-2 is out of range"), e.getMessage());
        e = assertThrows(PigmentException.class,
                () -> GenerationRequest.fromParameters(Map.of("style", "0.1", "style-strength", "0.2")));
        assertTrue(e.getMessage().contains("given twice"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> GenerationRequest.fromParameters(Map.of("task", "paint")));
        assertTrue(e.getMessage().contains("'paint'"), e.getMessage());
    }

    /** Provenance parameters decode back into the request that made them (the replay contract). */
    @Test
    void provenanceParametersRoundTrip() {
        Map<String, String> params = new LinkedHashMap<>(Map.of("steps", "12", "scheduler", "euler", "guidance",
                "7.5", "width", "48", "height", "40"));
        params.put("prompt", "a cat");
        params.put("seed", "42");
        GenerationRequest r = GenerationRequest.fromParameters(params).build();
        assertEquals(12, r.steps());
        assertEquals(7.5, r.guidance());
        assertEquals(48, r.width());
        assertEquals(40, r.height());
        assertEquals(42, r.seed());
        assertEquals("euler", r.scheduler());
    }
}
