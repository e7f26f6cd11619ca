package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.model.ValidationReport;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.text.EncodedPrompt;
import dev.pigment.core.text.TokenizedPrompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FLUX.2-style reference tokens (pigment.json export.reference_tokens): one transformer call on the tiny Z-Image
 * fixture with a reference image's tokens appended, against the Python export wrapper's output
 * (reference/reference_tokens.json from src/test/fixtures/make_tiny_zimage_reference_tokens.py, whose position ids
 * are built in Python independently of TokenLayout); a model without the declaration never receives them; the
 * registry's check validates the key.
 */
class ReferenceTokensTest {
    @TempDir
    static Path models;
    private static Path root;

    @BeforeAll
    static void copyFixture() throws Exception {
        root = Path.of(ReferenceTokensTest.class.getResource("/zimage").toURI());
        ZImageRopeTablesTest.copyTree(root.resolve("tiny-zimage"), models.resolve("tiny-zimage-refs"));
        setReferenceTokens(models.resolve("tiny-zimage-refs"), JsonParser.parseString("{\"scale\": 10}"));
        ZImageRopeTablesTest.copyTree(root.resolve("tiny-zimage"), models.resolve("tiny-zimage-plain"));
    }

    private static void setReferenceTokens(Path folder, JsonElement value) throws IOException {
        Path manifest = folder.resolve("pigment.json");
        JsonObject o = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        o.getAsJsonObject("export").add("reference_tokens", value);
        Files.writeString(manifest, o.toString());
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    private static ModelInfo model(String id) {
        return new ModelRegistry(List.of(models)).resolve(id);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "lengths");
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @Test
    void onePredictionWithAReferenceMatchesThePythonWrapper() throws IOException {
        JsonObject ref = JsonParser.parseString(Files.readString(root.resolve("reference/reference_tokens.json")))
                .getAsJsonObject();
        int c = ref.get("channels").getAsInt();
        int h = ref.get("height").getAsInt();
        int w = ref.get("width").getAsInt();
        int len = ref.get("caption_length").getAsInt();
        float[] caption = floats(ref.getAsJsonArray("caption"));
        EncodedPrompt prompt = new EncodedPrompt(caption, len, caption.length / len,
                new TokenizedPrompt(new int[len], len, false, ""));
        Latents sample = new Latents(floats(ref.getAsJsonArray("latents")), c, h, w);
        // timestep = 1000 * sigma; the export's "1-sigma" input is then 0.3 as in the Python call.
        double timestep = 1000 * (1 - ref.get("t").getAsDouble());
        try (ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1))) {
            ModelInfo m = model("tiny-zimage-refs");
            group.add("transformer", m.componentFile("transformer"));
            FlowTransformerDenoiser d = new FlowTransformerDenoiser(m, group, null, null);
            assertTrue(d.takesReferenceTokens());
            Conditioning plain = new Conditioning(prompt, null, Guidance.zImage(0), null);
            float[] with = d.predict(sample, null, timestep, plain.withReferences(
                    List.of(floats(ref.getAsJsonArray("reference")))));
            float[] without = d.predict(sample, null, timestep, plain);
            float[] expected = floats(ref.getAsJsonArray("prediction"));
            double err = maxDiff(expected, with);
            assertTrue(err < 1e-4, "with the reference: largest difference from Python " + err);
            double errWithout = maxDiff(floats(ref.getAsJsonArray("prediction_without_reference")), without);
            assertTrue(errWithout < 1e-4, "without: largest difference from Python " + errWithout);
            // The reference tokens matter (so the match above is not the no-reference output by accident).
            assertTrue(maxDiff(with, without) > 0.05, "reference changed the prediction by " + maxDiff(with, without));
        }
    }

    @Test
    void aModelWithoutTheDeclarationNeverReceivesReferenceTokens() throws IOException {
        try (ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1))) {
            ModelInfo m = model("tiny-zimage-plain");
            group.add("transformer", m.componentFile("transformer"));
            FlowTransformerDenoiser d = new FlowTransformerDenoiser(m, group, null, null);
            assertFalse(d.takesReferenceTokens());
            float[] latents = new float[16 * 8 * 8];
            EncodedPrompt prompt = new EncodedPrompt(new float[32 * 3], 3, 32, new TokenizedPrompt(new int[3], 3, false, ""));
            Conditioning c = new Conditioning(prompt, null, Guidance.zImage(0), null).withReferences(List.of(latents));
            assertThrows(IllegalStateException.class, () -> d.predict(new Latents(latents, 16, 8, 8), null, 500, c));
        }
        // Through the pipeline: restyle on the plain model would hit the guard above if references were passed;
        // on the declaring model the reference changes the result.
        RgbImage content = LatentDiffusionPipelineTest.gradient(64, 64);
        RgbImage reference = stripes(64, 64);
        RgbImage plain = restyle("tiny-zimage-plain", content, reference);
        RgbImage refs = restyle("tiny-zimage-refs", content, reference);
        assertTrue(maxDiff(plain.data(), refs.data()) > 1f / 255, "reference tokens changed the restyle");
    }

    private static RgbImage stripes(int w, int h) {
        float[] px = new float[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            float v = (i % w / 4) % 2 == 0 ? 0.9f : 0.1f;
            px[i] = v;
            px[w * h + i] = 0.3f;
            px[2 * w * h + i] = 1 - v;
        }
        return RgbImage.wrap(w, h, px);
    }

    private static RgbImage restyle(String id, RgbImage content, RgbImage reference) {
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(model(id), RuntimeOptions.defaults().withThreads(1))) {
            return p.generate(GenerationRequest.builder(Task.RESTYLE).model(id).prompt("a painting").seed(11).steps(4)
                    .size(64, 64).source(content).reference(reference).strength(0.5).styleStrength(0.5).build(),
                    ProgressListener.NONE, CancellationToken.none()).first().image();
        }
    }

    @Test
    void theCheckValidatesTheKey() throws IOException {
        ModelRegistry registry = new ModelRegistry(List.of());
        ValidationReport ok = registry.validate(models.resolve("tiny-zimage-refs"), false);
        assertTrue(ok.problems().isEmpty(), ok.explain());
        for (String bad : List.of("{\"scale\": 0}", "{\"scale\": 2.5}", "{\"offset\": 10}", "true")) {
            Path folder = models.resolve("bad-" + Integer.toHexString(bad.hashCode()));
            ZImageRopeTablesTest.copyTree(root.resolve("tiny-zimage"), folder);
            setReferenceTokens(folder, JsonParser.parseString(bad));
            ValidationReport report = registry.validate(folder, false);
            assertFalse(report.problems().isEmpty(), bad + " accepted");
            assertTrue(report.explain().contains("export.reference_tokens"), report.explain());
        }
    }
}
