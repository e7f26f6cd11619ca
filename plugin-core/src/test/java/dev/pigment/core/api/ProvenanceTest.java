package dev.pigment.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void writesTheAutomatic1111ParametersFormat() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("steps", "20");
        p.put("scheduler", "Euler a");
        p.put("guidance", "7");
        p.put("width", "512");
        p.put("height", "768");
        p.put("strength", "0.6");
        p.put("fill", "blur");
        p.put("note", "a, b");
        Provenance prov = new Provenance("sd-turbo", "0123456789abcdef", Task.IMAGE_TO_IMAGE, "a cat", "blurry", p);
        assertEquals("a cat\nNegative prompt: blurry\n"
                + "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x768, Model hash: 0123456789, "
                + "Model: sd-turbo, Denoising strength: 0.6, Task: image-to-image, fill: blur, note: \"a, b\"",
                prov.toA1111Text(42));
    }

    @Test
    void leavesOutWhatIsNotKnown() {
        Provenance prov = new Provenance("classic", null, Task.INPAINT, null, null, Map.of());
        assertEquals("\nSeed: 1, Model: classic, Task: inpaint", prov.toA1111Text(1));
    }

    @Test
    void numbersArePlainShortestAndReadBackExactly() {
        assertEquals("7.5", Provenance.number(7.5));
        assertEquals("5", Provenance.number(5.0));
        assertEquals("0", Provenance.number(-0.0));
        assertEquals("0.0000001", Provenance.number(1e-7));
        assertEquals("12000000000", Provenance.number(1.2e10));
        assertEquals("NaN", Provenance.number(Double.NaN));
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++) {
            double v = i % 2 == 0 ? random.nextDouble() : random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6);
            String text = Provenance.number(v);
            assertEquals(v, Double.parseDouble(text), text);
            org.junit.jupiter.api.Assertions.assertFalse(text.contains("E"), text);
        }
    }
}
