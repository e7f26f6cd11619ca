package dev.pigment.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class A1111ParametersTest {
    @Test
    void readsBackWhatProvenanceWrites() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("steps", "20");
        p.put("scheduler", "euler");
        p.put("guidance", "7.5");
        p.put("width", "64");
        p.put("height", "48");
        p.put("strength", "0.6");
        p.put("fill", "blur");
        p.put("note", "a, b: \"c\"");
        Provenance prov = new Provenance("demo", "0123456789abcdef", Task.IMAGE_TO_IMAGE, "a cat\non a mat", "blurry", p);
        Map<String, String> back = A1111Parameters.parse(prov.toA1111Text(42));
        assertEquals("a cat\non a mat", back.get("prompt"));
        assertEquals("blurry", back.get("negative"));
        assertEquals("20", back.get("steps"));
        assertEquals("euler", back.get("scheduler"));
        assertEquals("7.5", back.get("guidance"));
        assertEquals("42", back.get("seed"));
        assertEquals("64", back.get("width"));
        assertEquals("48", back.get("height"));
        assertEquals("demo", back.get("model"));
        assertEquals("0.6", back.get("strength"));
        assertEquals("image-to-image", back.get("task"));
        assertEquals("blur", back.get("fill"));
        assertEquals("a, b: \"c\"", back.get("note"));

        GenerationRequest r = GenerationRequest.fromParameters(back).source(dev.pigment.core.image.RgbImage.filled(4, 4,
                0, 0, 0)).build();
        assertEquals(Task.IMAGE_TO_IMAGE, r.task());
        assertEquals(42, r.seed());
        assertEquals(20, r.steps());
    }

    @Test
    void emptyTextIsRefusedWithAMessage() {
        assertEquals("There are no generation parameters to read: the text is empty.",
                assertThrows(PigmentException.class, () -> A1111Parameters.parse(" ")).getMessage());
    }
}
