package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.model.TransformerConfig;
import dev.pigment.core.model.ValidationReport;
import dev.pigment.core.runtime.RuntimeOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code "rope": "tables"} convention: Java's cos/sin tables against diffusers' real RopeEmbedder
 * (reference/rope_tables.json from src/test/fixtures/make_rope_tables.py), and the tiny fixture with its transformer
 * exported as the tables variant (same weights: src/test/fixtures/make_tiny_zimage_tables.py) giving the pixels of
 * the ids variant and of diffusers' pipelines.
 */
class ZImageRopeTablesTest {
    @TempDir
    static Path models;
    private static LatentDiffusionPipeline tables;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        ZImageParityTest.load();
        Path folder = models.resolve("tiny-zimage-tables");
        copyTree(ZImageParityTest.root.resolve("tiny-zimage"), folder);
        Files.copy(ZImageParityTest.root.resolve("tiny-zimage-tables-transformer.onnx"),
                folder.resolve("transformer/model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        setRope(folder, "tables");
        tables = new LatentDiffusionPipeline(new ModelRegistry(List.of(models)).resolve("tiny-zimage-tables"),
                RuntimeOptions.defaults().withThreads(1));
    }

    @AfterAll
    static void close() {
        if (tables != null) {
            tables.close();
        }
        ZImageParityTest.close();
    }

    /** Copies a model folder so a test can change its pigment.json without touching the shared fixture. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void setRope(Path folder, String rope) throws IOException {
        Path manifest = folder.resolve("pigment.json");
        JsonObject o = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        o.getAsJsonObject("export").addProperty("rope", rope);
        Files.writeString(manifest, o.toString());
    }

    @Test
    void javaTablesEqualDiffusersRopeEmbedder() throws IOException {
        JsonObject ref = JsonParser.parseString(Files.readString(ZImageParityTest.root.resolve(
                "reference/rope_tables.json"))).getAsJsonObject();
        for (JsonElement e : ref.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            TransformerConfig config = new TransformerConfig(2, 16, ints(c.getAsJsonArray("axes_dims")),
                    ints(c.getAsJsonArray("axes_lens")), c.get("theta").getAsDouble(), 32);
            TokenLayout layout = new TokenLayout(c.get("h").getAsInt() / 2, c.get("w").getAsInt() / 2,
                    c.get("caption").getAsInt(), 32);
            String name = c.get("name").getAsString();
            // Pigment's ids are the ones the reference tables were made from (zimage_onnx.transformer_inputs).
            assertArrayEqualsLong(longs(c.getAsJsonArray("img_ids")), layout.imageIds(), name + " img_ids");
            assertArrayEqualsLong(longs(c.getAsJsonArray("txt_ids")), layout.captionIds(), name + " txt_ids");
            compare(c, "img", RopeTables.of(config, layout.imageIds()));
            compare(c, "txt", RopeTables.of(config, layout.captionIds()));
        }
    }

    private static void compare(JsonObject c, String prefix, RopeTables t) {
        JsonArray cos = c.getAsJsonArray(prefix + "_cos");
        JsonArray sin = c.getAsJsonArray(prefix + "_sin");
        assertEquals(cos.size(), t.cos().length, prefix + " size");
        assertEquals(cos.size(), t.rows() * t.columns());
        double worst = 0;
        for (int i = 0; i < cos.size(); i++) {
            worst = Math.max(worst, Math.abs(cos.get(i).getAsDouble() - t.cos()[i]));
            worst = Math.max(worst, Math.abs(sin.get(i).getAsDouble() - t.sin()[i]));
        }
        // float32 cos/sin of the same float32 angle: libm and Java may differ in the last bit.
        assertTrue(worst <= 1e-6, c.get("name").getAsString() + " " + prefix + ": largest difference " + worst);
    }

    @Test
    void aPositionOutsideAxesLensIsRefusedNamingIt() {
        TransformerConfig config = new TransformerConfig(2, 16, new int[] {4, 6, 6}, new int[] {128, 32, 32}, 256, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RopeTables.of(config, new long[] {1, 0, 0, 5, 32, 0}));
        assertTrue(e.getMessage().contains("position id 32 (row 1, axis 1)") && e.getMessage().contains("32"),
                e.getMessage());
    }

    @Test
    void theRegistryAcceptsTheTablesLayoutAndRefusesIdsGraphUnderIt() throws IOException {
        ModelRegistry registry = new ModelRegistry(List.of());
        ValidationReport ok = registry.validate(models.resolve("tiny-zimage-tables"), false);
        assertTrue(ok.problems().isEmpty(), ok.explain());
        Path wrong = models.resolve("ids-graph-declared-tables");
        copyTree(ZImageParityTest.root.resolve("tiny-zimage"), wrong);
        setRope(wrong, "tables");
        ValidationReport bad = registry.validate(wrong, false);
        assertEquals(1, bad.problems().size(), bad.explain());
        assertTrue(bad.explain().contains("img_cos") && bad.explain().contains("img_ids"), bad.explain());
        setRope(wrong, "angles");
        ValidationReport unknown = registry.validate(wrong, false);
        assertTrue(unknown.explain().contains("angles") && unknown.explain().contains("tables"), unknown.explain());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pigment.core.pipeline.ZImageParityTest#caseNames")
    void theTablesVariantGivesTheIdsVariantsAndTheReferencesPixels(String name) {
        RgbImage ids = ZImageParityTest.pipeline.generate(ZImageParityTest.request(name, "tiny-zimage"),
                ProgressListener.NONE, CancellationToken.none()).first().image();
        GenerationRequest request = ZImageParityTest.request(name, "tiny-zimage-tables");
        RgbImage ours = tables.generate(request, ProgressListener.NONE, CancellationToken.none()).first().image();
        RgbImage reference = dev.pigment.core.image.PngFiles.readRgb(ZImageParityTest.root.resolve(
                "reference/" + name + ".png"));
        int plane = ours.width() * ours.height();
        int worstIds = 0;
        int worstReference = 0;
        for (int i = 0; i < ours.data().length; i++) {
            int o = RgbImage.to8(ours.data()[i]);
            worstIds = Math.max(worstIds, Math.abs(o - RgbImage.to8(ids.data()[i])));
            if (request.mask() == null || request.mask().data()[i % plane] >= 0.5f) {
                worstReference = Math.max(worstReference, Math.abs(o - RgbImage.to8(reference.data()[i])));
            }
        }
        assertTrue(worstIds <= 1, name + ": " + worstIds + " levels from the ids variant");
        assertTrue(worstReference <= 1, name + ": " + worstReference + " levels from diffusers' reference");
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    private static void assertArrayEqualsLong(long[] expected, long[] actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, what);
    }
}
