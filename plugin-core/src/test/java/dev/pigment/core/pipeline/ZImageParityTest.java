package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ExportConventions;
import dev.pigment.core.model.ModelFamily;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.text.ChatTemplateTokenizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pigment's flow-match-dit family against diffusers' real ZImagePipeline / ZImageImg2ImgPipeline /
 * ZImageInpaintPipeline (v0.40.0) on a tiny random-weight model: the fixture and reference PNGs come from
 * src/test/fixtures/make_tiny_zimage.py. Java starts from the prompt text and the seed; the references were
 * given the same text encoder's eager embeddings and torch's seeded generator.
 */
class ZImageParityTest {
    static Path root;
    static LatentDiffusionPipeline pipeline;
    private static JsonObject cases;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        root = Path.of(ZImageParityTest.class.getResource("/zimage").toURI());
        cases = JsonParser.parseString(Files.readString(root.resolve("reference/cases.json"))).getAsJsonObject();
        pipeline = new LatentDiffusionPipeline(model(), RuntimeOptions.defaults().withThreads(1));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    static ModelInfo model() {
        return new ModelRegistry(List.of(root)).resolve("tiny-zimage");
    }

    static Stream<String> caseNames() throws IOException, URISyntaxException {
        Path r = Path.of(ZImageParityTest.class.getResource("/zimage/reference/cases.json").toURI());
        JsonObject c = JsonParser.parseString(Files.readString(r)).getAsJsonObject();
        List<String> names = new ArrayList<>();
        c.getAsJsonArray("cases").forEach(e -> names.add(e.getAsJsonObject().get("name").getAsString()));
        return names.stream();
    }

    static JsonObject caseNamed(String name) {
        for (JsonElement e : cases.getAsJsonArray("cases")) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void theRegistryDetectsTheLayoutAndReadsItsConventions() {
        ModelInfo m = model();
        assertEquals(ModelFamily.FLOW_MATCH_DIT, m.family());
        assertEquals(ExportConventions.Z_IMAGE.promptTemplate(), m.manifest().export().promptTemplate());
        assertTrue(m.manifest().export().negateOutput());
        assertTrue(pipeline.supportedTasks().contains(Task.INPAINT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void matchesTheReferencePipelineWithinOneLevel(String name) {
        GenerationRequest request = request(name, "tiny-zimage");
        GenerationResult result = pipeline.generate(request, ProgressListener.NONE, CancellationToken.none());
        assertMatchesReference(name, request, result.first().image());
    }

    /**
     * {@code ours}, generated for the reference case {@code name}, is within 1 level of diffusers' reference
     * inside the mask, and outside it keeps the source bit for bit (the reference decodes everything).
     */
    static void assertMatchesReference(String name, GenerationRequest request, RgbImage ours) {
        RgbImage source = request.source();
        Mask mask = request.mask();
        RgbImage reference = PngFiles.readRgb(root.resolve("reference/" + name + ".png"));
        assertEquals(reference.width(), ours.width());
        assertEquals(reference.height(), ours.height());
        int plane = ours.width() * ours.height();
        int worst = 0;
        for (int i = 0; i < ours.data().length; i++) {
            int o = RgbImage.to8(ours.data()[i]);
            if (mask != null && mask.data()[i % plane] < 0.5f) {
                assertEquals(RgbImage.to8(source.data()[i]), o, name + ": outside the mask at " + i);
                continue;
            }
            worst = Math.max(worst, Math.abs(o - RgbImage.to8(reference.data()[i])));
        }
        assertTrue(worst <= 1, name + ": largest difference " + worst + " levels from diffusers' reference");
    }

    /** The reference case {@code name} as a request for {@code modelId} (the references' inputs, task and seed). */
    static GenerationRequest request(String name, String modelId) {
        JsonObject c = caseNamed(name);
        String task = c.get("task").getAsString();
        GenerationRequest.Builder b = GenerationRequest.builder(switch (task) {
            case "img2img" -> Task.IMAGE_TO_IMAGE;
            case "inpaint" -> Task.INPAINT;
            default -> Task.TEXT_TO_IMAGE;
        }).model(modelId).prompt(c.get("prompt").getAsString()).seed(c.get("seed").getAsLong())
                .steps(cases.get("steps").getAsInt()).size(c.get("w").getAsInt(), c.get("h").getAsInt())
                .guidance(c.has("guidance") ? c.get("guidance").getAsDouble() : 0.0);
        if (c.has("negative")) {
            b.negativePrompt(c.get("negative").getAsString());
        }
        if (!task.equals("txt2img")) {
            b.source(PngFiles.readRgb(root.resolve("reference/" + name + "-source.png")))
                    .strength(c.get("strength").getAsDouble());
        }
        if (task.equals("inpaint")) {
            b.mask(PngFiles.readMask(root.resolve("reference/" + name + "-mask.png"))).option("feather", "0");
        }
        return b.build();
    }

    @Test
    void chatTemplateAndTokenizerGiveTheReferenceIds() {
        ExportConventions e = model().manifest().export();
        try (ChatTemplateTokenizer t = ChatTemplateTokenizer.load(model().tokenizerDir(), e.promptTemplate(),
                e.maxPromptTokens())) {
            for (JsonElement el : cases.getAsJsonArray("tokenizer")) {
                JsonObject o = el.getAsJsonObject();
                JsonArray want = o.getAsJsonArray("ids");
                int[] expected = new int[want.size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = want.get(i).getAsInt();
                }
                assertArrayEquals(expected, t.tokenize(o.get("prompt").getAsString()).ids(), o.get("prompt").getAsString());
            }
        }
    }

    @Test
    void sizesThatAreNotMultiplesOfSixteenArePaddedAndCroppedBack() {
        GenerationResult r = pipeline.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-zimage")
                .prompt("a red apple").seed(9).steps(2).size(40, 56).build(), ProgressListener.NONE,
                CancellationToken.none());
        assertEquals(40, r.first().image().width());
        assertEquals(56, r.first().image().height());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("48x64") && n.contains("multiples of 16")), r.notes().toString());
    }

    @Test
    void anEpsilonSchedulerIsRefusedForAFlowMatchingModel() {
        dev.pigment.core.api.PigmentException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.pigment.core.api.PigmentException.class, () -> pipeline.generate(GenerationRequest.builder(
                        Task.TEXT_TO_IMAGE).model("tiny-zimage").prompt("x").seed(1).steps(2).scheduler("euler")
                        .size(32, 32).build(), ProgressListener.NONE, CancellationToken.none()));
        assertEquals(dev.pigment.core.api.ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("flow-match-euler"), e.getMessage());
    }

    @Test
    void aSizeBeyondTheModelsPositionTablesIsRefusedNamingTheLargest() {
        // The fixture's axes_lens [128, 32, 32] address 32 patches a side: 512 px. ONNX Runtime would fail in a Gather.
        dev.pigment.core.api.PigmentException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.pigment.core.api.PigmentException.class, () -> pipeline.generate(GenerationRequest.builder(
                        Task.TEXT_TO_IMAGE).model("tiny-zimage").prompt("x").seed(1).steps(1).size(768, 256).build(),
                        ProgressListener.NONE, CancellationToken.none()));
        assertEquals(dev.pigment.core.api.ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("768x256") && e.getMessage().contains("at most 512x512"), e.getMessage());
    }
}
