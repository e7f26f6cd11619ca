package dev.pigment.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    private static final String HASH = "ab".repeat(32);

    @TempDir
    Path tmp;

    private Path manifest(String json) {
        return Fixtures.write(tmp.resolve("pigment.json"), json);
    }

    @Test
    void readsEveryKey() {
        Manifest m = Manifest.read(manifest("""
                {"name": "SD-Turbo", "family": "stable-diffusion", "licence": "sai-nc-community",
                 "recommended": {"width": 512, "height": 768, "steps": 1, "guidance": 0.0, "scheduler": "euler"},
                 "sha256": {"unet/model.onnx": "%s"}}
                """.formatted(HASH.toUpperCase())));
        assertEquals("SD-Turbo", m.displayName());
        assertEquals(ModelFamily.STABLE_DIFFUSION, m.family());
        assertEquals("sai-nc-community", m.licence());
        assertEquals(new Recommended(512, 768, 1, 0.0, "euler"), m.recommended());
        assertEquals(Map.of("unet/model.onnx", HASH), m.sha256());
    }

    @Test
    void partialRecommendedLeavesTheRestUnset() {
        Manifest m = Manifest.read(manifest("{\"recommended\": {\"steps\": 4}, \"license\": \"MIT\"}"));
        assertEquals(new Recommended(0, 0, 4, Double.NaN, null), m.recommended());
        assertEquals("MIT", m.licence());
        assertNull(m.family());
        assertEquals(new Recommended(512, 512, 4, 7.5, null),
                m.recommended().orElse(Recommended.defaults(ModelFamily.STABLE_DIFFUSION)));
    }

    @Test
    void unknownKeysAreWarnings() throws Exception {
        List<String> warnings = new ArrayList<>();
        Manifest.parse(manifest("{\"nmae\": \"x\", \"recommended\": {\"stesp\": 3}}"), warnings);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'nmae'"), warnings.toString());
        assertTrue(warnings.get(1).contains("'recommended.stesp'"), warnings.toString());
    }

    @Test
    void malformedJsonNamesTheLine() {
        Path p = manifest("{\n  \"name\": \"x\",\n  \"family\" \"stable-diffusion\"\n}\n");
        PigmentException e = assertThrows(PigmentException.class, () -> Manifest.read(p));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().startsWith(p + ": invalid JSON at line 3"), e.getMessage());
        assertTrue(!e.getMessage().contains("https://"), "gson's troubleshooting link is dropped: " + e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndTheFix() {
        assertMessage("{\"family\": \"sdxl\"}", "key 'family'", "stable-diffusion, flow-match-dit, classic");
        assertMessage("{\"recommended\": {\"steps\": 2.5}}", "recommended.steps", "whole number");
        assertMessage("{\"recommended\": {\"width\": -8}}", "recommended.width", "1..8192");
        assertMessage("{\"recommended\": {\"guidance\": \"high\"}}", "recommended.guidance", "must be a number");
        assertMessage("{\"recommended\": 5}", "'recommended' must be an object");
        assertMessage("{\"name\": 5}", "'name' must be a string");
        assertMessage("{\"sha256\": {\"unet/model.onnx\": \"abc\"}}", "64 hex digits");
        assertMessage("{\"sha256\": {\"../x\": \"" + HASH + "\"}}", "inside the model folder");
        assertMessage("{\"sha256\": {\"/etc/passwd\": \"" + HASH + "\"}}", "inside the model folder");
        assertMessage("[1, 2]", "not a JSON object");
        assertMessage("", "empty");
    }

    @Test
    void latentRgbFactorsAreReadAndBadOnesNamed() {
        Manifest m = Manifest.read(manifest("{\"latent_rgb_factors\": [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]],"
                + " \"latent_rgb_bias\": [0.1, 0.2, 0.3]}"));
        assertEquals(4, m.latentRgb().channels());
        dev.pigment.core.image.RgbImage px = m.latentRgb().render(new float[] {0.2f, 0.4f, 2f, 0.2f}, 1, 1);
        assertEquals(0.4f, px.get(0, 0, 0), 1e-6f);
        assertEquals(0.7f, px.get(1, 0, 0), 1e-6f);
        assertEquals(1f, px.get(2, 0, 0), 1e-6f, "clamped to 1");
        assertEquals(null, Manifest.read(manifest("{\"name\": \"x\"}")).latentRgb(), "absent: the built-in factors");
        assertMessage("{\"latent_rgb_factors\": [[1, 0]]}", "latent_rgb_factors", "[r, g, b]");
        assertMessage("{\"latent_rgb_factors\": []}", "latent_rgb_factors");
        assertMessage("{\"latent_rgb_factors\": [[1, 0, \"x\"]]}", "latent_rgb_factors", "\"x\"");
        assertMessage("{\"latent_rgb_factors\": [[1, 0, 0]], \"latent_rgb_bias\": [1]}", "latent_rgb_bias");
    }

    private void assertMessage(String json, String... parts) {
        Path p = manifest(json);
        PigmentException e = assertThrows(PigmentException.class, () -> Manifest.read(p), json);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), json + " -> " + e.getMessage());
        }
    }

    @Test
    void emptyManifest() {
        assertTrue(Manifest.empty().isEmpty());
        assertTrue(!Manifest.read(manifest("{\"name\": \"x\"}")).isEmpty());
    }

    @Test
    void recommendedChecksItsRanges() {
        assertThrows(IllegalArgumentException.class, () -> new Recommended(-1, 0, 0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new Recommended(0, 0, 0, -1, null));
        assertTrue(Recommended.defaults(ModelFamily.FLOW_MATCH_DIT).isComplete());
        assertTrue(!Recommended.UNSET.isComplete());
        assertEquals(Recommended.defaults(ModelFamily.CLASSIC), Recommended.UNSET.orElse(Recommended.defaults(ModelFamily.CLASSIC)));
    }

    @Test
    void familyIds() {
        for (ModelFamily f : ModelFamily.values()) {
            assertEquals(f, ModelFamily.fromId(f.id()));
        }
        assertEquals(ModelFamily.FLOW_MATCH_DIT, ModelFamily.fromId(" Flow-Match-DiT "));
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(PigmentException.class, () -> ModelFamily.fromId("sd")).code());
    }
}
