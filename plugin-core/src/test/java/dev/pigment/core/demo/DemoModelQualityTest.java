package dev.pigment.core.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.text.PromptTokenizer;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo model's quality bar, through the Java pipeline and the real ONNX Runtime (issue 3):
 * prompts steer colour and structure, and editing keeps what it should.
 */
class DemoModelQualityTest {
    private static final int SEEDS = 8;
    private static ModelInfo model;
    private static LatentDiffusionPipeline pipeline;

    @BeforeAll
    static void load() {
        model = DemoModel.info();
        pipeline = new LatentDiffusionPipeline(model, RuntimeOptions.defaults());
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    private static RgbImage generate(String prompt, long seed) {
        return pipeline.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo").prompt(prompt).seed(seed).build(),
                ProgressListener.NONE, CancellationToken.none()).first().image();
    }

    /** Mean share of R, G and B over the drawn (not near-white background) pixels of several seeds. */
    private static double[] chroma(String prompt) {
        double[] sum = new double[3];
        for (int s = 0; s < SEEDS; s++) {
            RgbImage img = generate(prompt, 100 + s);
            float[] d = img.data();
            int n = img.pixelCount();
            double[] acc = new double[3];
            int count = 0;
            for (int i = 0; i < n; i++) {
                float r = d[i];
                float g = d[n + i];
                float b = d[2 * n + i];
                if (Math.min(r, Math.min(g, b)) < 0.85f) {
                    double total = r + g + b + 1e-6;
                    acc[0] += r / total;
                    acc[1] += g / total;
                    acc[2] += b / total;
                    count++;
                }
            }
            for (int c = 0; c < 3; c++) {
                sum[c] += count == 0 ? 1.0 / 3 : acc[c] / count;
            }
        }
        for (int c = 0; c < 3; c++) {
            sum[c] /= SEEDS;
        }
        return sum;
    }

    @Test
    void colourWordsSteerTheColour() {
        double[] heart = chroma("red heart");
        double[] apple = chroma("green apple");
        double[] car = chroma("blue car");
        double margin = 0.05;
        assertTrue(heart[0] > apple[0] + margin && heart[0] > car[0] + margin,
                "red heart is the reddest: heart " + heart[0] + " apple " + apple[0] + " car " + car[0]);
        assertTrue(apple[1] > heart[1] + margin && apple[1] > car[1] + margin,
                "green apple is the greenest: apple " + apple[1] + " heart " + heart[1] + " car " + car[1]);
        assertTrue(car[2] > heart[2] + margin && car[2] > apple[2] + margin,
                "blue car is the bluest: car " + car[2] + " heart " + heart[2] + " apple " + apple[2]);
    }

    /**
     * Share of the image's variance explained by its row means: 1 for perfect horizontal bands,
     * small for round shapes whose rows vary from edge to centre.
     */
    private static double horizontalBands(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int n = w * h;
        float[] d = img.data();
        double explained = 0;
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += d[c * n + i];
            }
            mean /= n;
            for (int y = 0; y < h; y++) {
                double rowMean = 0;
                for (int x = 0; x < w; x++) {
                    rowMean += d[c * n + y * w + x];
                }
                rowMean /= w;
                for (int x = 0; x < w; x++) {
                    double v = d[c * n + y * w + x];
                    total += (v - mean) * (v - mean);
                    explained += (rowMean - mean) * (rowMean - mean);
                }
            }
        }
        return explained / Math.max(total, 1e-9);
    }

    private static double meanBands(List<String> prompts) {
        double sum = 0;
        int count = 0;
        for (String p : prompts) {
            for (int s = 0; s < SEEDS / 2; s++) {
                sum += horizontalBands(generate(p, 200 + s));
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void flagsHaveMoreHorizontalBandsThanFaces() {
        double flags = meanBands(List.of("flag: Germany", "flag: Russia", "flag: Netherlands", "flag: Hungary"));
        double faces = meanBands(List.of("grinning face", "smiling face", "cat face", "winking face"));
        assertTrue(flags > faces + 0.15, "flags " + flags + " vs faces " + faces);
    }

    @Test
    void imageToImageAndInpaintingKeepAndChangeWhatTheyShould() {
        RgbImage heart = generate("red heart", 1).quantized8();
        Mask mask = Mask.rectangle(64, 64, 16, 16, 32, 32);
        RgbImage inpainted = pipeline.generate(GenerationRequest.builder(Task.INPAINT).model("demo").source(heart).mask(mask)
                .prompt("green apple").seed(2).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        // The feather works inwards: every pixel outside the mask is the source's.
        Mask untouched = mask.invert().binarize(0.5f);
        double changed = 0;
        int n = 64 * 64;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                if (untouched.data()[i] == 1f) {
                    assertEquals(heart.data()[c * n + i], inpainted.data()[c * n + i], 0f, "unmasked pixel " + i);
                }
                if (mask.data()[i] == 1f) {
                    changed += Math.abs(heart.data()[c * n + i] - inpainted.data()[c * n + i]);
                }
            }
        }
        assertTrue(changed / (3 * 32 * 32) > 0.05, "the masked area changed: " + changed / (3 * 32 * 32));

        RgbImage weak = pipeline.generate(GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("demo").source(heart)
                .prompt("blue car").strength(0.3).seed(3).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        RgbImage strong = pipeline.generate(GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("demo").source(heart)
                .prompt("blue car").strength(0.9).seed(3).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        assertTrue(distance(heart, weak) < distance(heart, strong), "strength 0.3 stays closer to the source than 0.9");
        assertTrue(strong.channelMeans()[2] - strong.channelMeans()[0] > heart.channelMeans()[2] - heart.channelMeans()[0],
                "steering towards 'blue car' makes it bluer");

        RgbImage apple = generate("green apple", 4);
        RgbImage restyled = pipeline.generate(GenerationRequest.builder(Task.RESTYLE).model("demo").source(heart)
                .reference(apple).prompt("red heart").seed(5).build(), ProgressListener.NONE, CancellationToken.none())
                .first().image();
        double[] h = heart.channelMeans();
        double[] r = restyled.channelMeans();
        assertTrue(r[1] - r[0] > h[1] - h[0] + 0.1, "restyled after a green apple, the heart turns greener");
    }

    private static double distance(RgbImage a, RgbImage b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += Math.abs(a.data()[i] - b.data()[i]);
        }
        return s / a.data().length;
    }

    @Test
    void theJavaTokenizerMatchesTheTrainingTokenizer() throws Exception {
        JsonObject cases = JsonParser.parseString(Files.readString(
                DemoModel.repoRoot().resolve("models/demo/train/tokenizer_cases.json"))).getAsJsonObject();
        try (PromptTokenizer tokenizer = PromptTokenizer.load(model.tokenizerDir())) {
            assertEquals(cases.get("model_max_length").getAsInt(), tokenizer.maxLength());
            JsonArray list = cases.getAsJsonArray("cases");
            assertTrue(list.size() >= 10);
            for (JsonElement e : list) {
                JsonObject c = e.getAsJsonObject();
                int[] expected = new int[c.getAsJsonArray("ids").size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = c.getAsJsonArray("ids").get(i).getAsInt();
                }
                String text = c.get("text").getAsString();
                assertArrayEquals(expected, tokenizer.tokenize(text).ids(), "ids of \"" + text + "\"");
            }
        }
    }
}
