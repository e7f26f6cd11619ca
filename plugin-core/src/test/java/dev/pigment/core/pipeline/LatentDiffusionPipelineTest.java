package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.runtime.RuntimeOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End-to-end through the real ONNX Runtime on the tiny fixture models. */
class LatentDiffusionPipelineTest {
    private static LatentDiffusionPipeline sd;
    private static LatentDiffusionPipeline inpaintSd;

    @BeforeAll
    static void load() {
        sd = new LatentDiffusionPipeline(TinyModels.model("tiny-sd"), RuntimeOptions.defaults().withThreads(1));
        inpaintSd = new LatentDiffusionPipeline(TinyModels.model("tiny-sd-inpaint"), RuntimeOptions.defaults().withThreads(1));
    }

    @AfterAll
    static void close() {
        sd.close();
        inpaintSd.close();
    }

    private static GenerationRequest.Builder txt2img(long seed) {
        return GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd").prompt("a red apple on a table")
                .seed(seed).steps(4).guidance(5.0).size(64, 64);
    }

    static RgbImage gradient(int w, int h) {
        float[] d = new float[3 * w * h];
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (float) x / w;
                d[n + y * w + x] = (float) y / h;
                d[2 * n + y * w + x] = ((x / 8 + y / 8) % 2) * 0.8f + 0.1f;
            }
        }
        return RgbImage.wrap(w, h, d).quantized8();
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += Math.abs(a.data()[i] - b.data()[i]);
        }
        return s / a.data().length;
    }

    @Test
    void textToImageIsDeterministicPerSeedAndDiffersAcrossSeeds() {
        GenerationResult a = sd.generate(txt2img(42).build(), ProgressListener.NONE, CancellationToken.none());
        GenerationResult b = sd.generate(txt2img(42).build(), ProgressListener.NONE, CancellationToken.none());
        GenerationResult c = sd.generate(txt2img(43).build(), ProgressListener.NONE, CancellationToken.none());
        RgbImage img = a.first().image();
        assertEquals(64, img.width());
        assertEquals(64, img.height());
        assertArrayEquals(img.data(), b.first().image().data(), "same seed, same pixels");
        assertTrue(meanAbsDiff(img, c.first().image()) > 1e-3, "different seeds give different images");
        assertEquals(42, a.first().seed());
        for (float v : img.data()) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void promptAndGuidanceSteerTheResult() {
        RgbImage base = sd.generate(txt2img(1).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        RgbImage other = sd.generate(txt2img(1).prompt("a blue car in the snow").build(), ProgressListener.NONE,
                CancellationToken.none()).first().image();
        RgbImage noGuidance = sd.generate(txt2img(1).guidance(1.0).build(), ProgressListener.NONE,
                CancellationToken.none()).first().image();
        RgbImage negative = sd.generate(txt2img(1).negativePrompt("blurry").build(), ProgressListener.NONE,
                CancellationToken.none()).first().image();
        assertTrue(meanAbsDiff(base, other) > 1e-4, "prompt changes the image");
        assertTrue(meanAbsDiff(base, noGuidance) > 1e-4, "guidance changes the image");
        assertTrue(meanAbsDiff(base, negative) > 1e-4, "negative prompt changes the image");
    }

    @Test
    void randomSeedIsRecordedAndReproduces() {
        GenerationResult r = sd.generate(txt2img(-1).build(), ProgressListener.NONE, CancellationToken.none());
        long used = r.first().seed();
        assertTrue(used >= 0);
        GenerationResult again = sd.generate(txt2img(used).build(), ProgressListener.NONE, CancellationToken.none());
        assertArrayEquals(r.first().image().data(), again.first().image().data());
        assertTrue(r.provenance().toA1111Text(used).contains("Seed: " + used));
    }

    @Test
    void batchUsesConsecutiveSeeds() {
        GenerationResult r = sd.generate(txt2img(10).batch(2).build(), ProgressListener.NONE, CancellationToken.none());
        assertEquals(2, r.images().size());
        assertEquals(11, r.images().get(1).seed());
        RgbImage single = sd.generate(txt2img(11).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        assertArrayEquals(single.data(), r.images().get(1).image().data());
    }

    @Test
    void everySchedulerRuns() {
        for (String id : List.of("euler", "euler-a", "ddim", "dpm++2m", "dpm++2m-karras", "lcm")) {
            GenerationResult r = sd.generate(txt2img(3).scheduler(id).build(), ProgressListener.NONE, CancellationToken.none());
            assertEquals(64, r.first().image().width(), id);
        }
    }

    @Test
    void progressReportsEveryStepWithPreviews() {
        List<Progress> events = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                events.add(p);
            }

            @Override
            public boolean wantsPreview() {
                return true;
            }
        };
        sd.generate(txt2img(5).steps(6).build(), listener, CancellationToken.none());
        List<Progress> steps = events.stream().filter(p -> p.phase() == Phase.DENOISE && p.step() > 0).toList();
        assertEquals(6, steps.size());
        assertEquals(6, steps.get(5).step());
        assertTrue(steps.stream().allMatch(p -> p.preview() != null && p.preview().width() == 8));
    }

    @Test
    void cancelStopsWithinOneStep() {
        CancellationToken token = new CancellationToken();
        List<Integer> stepsSeen = new ArrayList<>();
        ProgressListener listener = p -> {
            if (p.phase() == Phase.DENOISE && p.step() > 0) {
                stepsSeen.add(p.step());
                if (p.step() == 2) {
                    token.cancel();
                }
            }
        };
        assertThrows(CancelledException.class, () -> sd.generate(txt2img(5).steps(20).build(), listener, token));
        assertEquals(List.of(1, 2), stepsSeen);
    }

    @Test
    void sizesNotDivisibleByEightComeBackAtTheRequestedSize() {
        GenerationResult r = sd.generate(txt2img(9).size(70, 45).build(), ProgressListener.NONE, CancellationToken.none());
        assertEquals(70, r.first().image().width());
        assertEquals(45, r.first().image().height());
        RgbImage src = gradient(53, 37);
        GenerationResult i2i = sd.generate(GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("tiny-sd")
                .source(src).prompt("x").seed(1).steps(4).strength(0.5).build(), ProgressListener.NONE, CancellationToken.none());
        assertEquals(53, i2i.first().image().width());
        assertEquals(37, i2i.first().image().height());
    }

    @Test
    void imageToImageStrengthControlsHowMuchChanges() {
        RgbImage src = gradient(64, 64);
        GenerationRequest.Builder b = GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("tiny-sd").source(src)
                .prompt("a red apple").seed(7).steps(10).guidance(5);
        RgbImage weak = sd.generate(b.strength(0.2).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        RgbImage strong = sd.generate(b.strength(0.9).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
        assertTrue(meanAbsDiff(src, weak) < meanAbsDiff(src, strong),
                "strength 0.2 stays closer to the source than 0.9");
        assertEquals(2, timestepsRun(b.strength(0.2).build()), "int(10*0.2) = 2 steps run");
    }

    private static int timestepsRun(GenerationRequest r) {
        int[] count = {0};
        sd.generate(r, p -> {
            if (p.phase() == Phase.DENOISE && p.step() > 0) {
                count[0]++;
            }
        }, CancellationToken.none());
        return count[0];
    }

    private static void assertInpaintKeepsOutside(LatentDiffusionPipeline pipeline, String model) {
        RgbImage src = gradient(64, 48);
        Mask mask = Mask.rectangle(64, 48, 16, 12, 24, 20);
        GenerationRequest r = GenerationRequest.builder(Task.INPAINT).model(model).source(src).mask(mask)
                .prompt("a cat").seed(3).steps(5).guidance(4).option("feather", "2").build();
        RgbImage out = pipeline.generate(r, ProgressListener.NONE, CancellationToken.none()).first().image();
        assertEquals(64, out.width());
        assertEquals(48, out.height());
        int n = 64 * 48;
        double changedInside = 0;
        int inside = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float a = src.data()[c * n + i];
                float b = out.data()[c * n + i];
                if (mask.data()[i] == 0f) {
                    assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(b), "pixel " + i + " outside the mask is untouched");
                }
                if (mask.data()[i] == 1f) {
                    changedInside += Math.abs(a - b);
                    inside++;
                }
            }
        }
        assertTrue(changedInside / inside > 0.01, "the masked area changed (" + changedInside / inside + ")");
    }

    @Test
    void inpaintingByLatentBlendingKeepsUnmaskedPixels() {
        assertInpaintKeepsOutside(sd, "tiny-sd");
    }

    @Test
    void inpaintingWithANineChannelUnetKeepsUnmaskedPixels() {
        assertInpaintKeepsOutside(inpaintSd, "tiny-sd-inpaint");
    }

    @Test
    void textToImageOnANineChannelUnetPaintsTheWholeCanvasLikeA1111() {
        GenerationRequest r = GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd-inpaint")
                .prompt("a red apple on a table").seed(9).steps(4).guidance(5.0).size(64, 64).build();
        RgbImage a = inpaintSd.generate(r, ProgressListener.NONE, CancellationToken.none()).first().image();
        RgbImage b = inpaintSd.generate(r, ProgressListener.NONE, CancellationToken.none()).first().image();
        assertEquals(64, a.width());
        assertEquals(64, a.height());
        assertArrayEquals(a.data(), b.data(), "same seed, same pixels");
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : a.data()) {
            assertTrue(Float.isFinite(v), "finite pixels");
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(max - min > 0.01f, "not a flat image: " + min + ".." + max);
    }

    @Test
    void partialStrengthInpaintingPrefillsTheHoleFromItsSurroundings() {
        RgbImage src = gradient(64, 64);
        Mask mask = Mask.rectangle(64, 64, 20, 20, 24, 24);
        GenerationRequest.Builder b = GenerationRequest.builder(Task.INPAINT).model("tiny-sd").source(src).mask(mask)
                .prompt("a cat").seed(3).steps(8).strength(0.5);
        GenerationResult blur = sd.generate(b.build(), ProgressListener.NONE, CancellationToken.none());
        RgbImage none = sd.generate(b.option("fill", "none").build(), ProgressListener.NONE, CancellationToken.none())
                .first().image();
        assertEquals("blur", blur.provenance().parameters().get("fill"));
        assertTrue(meanAbsDiff(blur.first().image(), none) > 1e-3, "the pre-fill changes what strength 0.5 starts from");
        PigmentException bad = assertThrows(PigmentException.class, () -> sd.generate(b.option("fill", "sparkles").build(),
                ProgressListener.NONE, CancellationToken.none()));
        assertTrue(bad.getMessage().contains("fill=sparkles"), bad.getMessage());
    }

    @Test
    void restyleTakesOnTheReferencesColoursAndKeepsTheSize() {
        RgbImage src = gradient(56, 40);
        RgbImage reference = RgbImage.filled(30, 30, 0.9f, 0.2f, 0.1f);
        GenerationResult r = sd.generate(GenerationRequest.builder(Task.RESTYLE).model("tiny-sd").source(src)
                .reference(reference).prompt("a painting").seed(4).steps(6).build(), ProgressListener.NONE,
                CancellationToken.none());
        RgbImage out = r.first().image();
        assertEquals(56, out.width());
        assertEquals(40, out.height());
        double[] before = src.channelMeans();
        double[] after = out.channelMeans();
        assertTrue(after[0] - after[2] > before[0] - before[2] + 0.2, "moved towards the red reference: "
                + java.util.Arrays.toString(before) + " -> " + java.util.Arrays.toString(after));
        assertEquals("0.5", r.provenance().parameters().get("strength"));
        assertEquals("1", r.provenance().parameters().get("style-strength"));
    }

    @Test
    void aUnetWithAFixedBatchOfOneRunsGuidanceAsTwoCalls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path copy = dir.resolve("tiny-sd");
        try (var files = java.nio.file.Files.walk(TinyModels.root().resolve("tiny-sd"))) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files::iterator) {
                java.nio.file.Path target = copy.resolve(TinyModels.root().resolve("tiny-sd").relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        }
        java.nio.file.Files.copy(java.nio.file.Path.of(getClass().getResource("/fixed-batch/unet-batch1.onnx").toURI()),
                copy.resolve("unet/model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.delete(copy.resolve("pigment.json"));
        dev.pigment.core.model.ModelInfo info = new dev.pigment.core.model.ModelRegistry(java.util.List.of(dir)).resolve("tiny-sd");
        try (LatentDiffusionPipeline twoCalls = new LatentDiffusionPipeline(info, RuntimeOptions.defaults().withThreads(1))) {
            RgbImage batched = sd.generate(txt2img(6).build(), ProgressListener.NONE, CancellationToken.none()).first().image();
            RgbImage separate = twoCalls.generate(txt2img(6).build(), ProgressListener.NONE, CancellationToken.none())
                    .first().image();
            assertTrue(meanAbsDiff(batched, separate) < 1e-5, "same guidance either way: " + meanAbsDiff(batched, separate));
        }
    }

    @Test
    void anEmptyMaskReturnsTheSourceUnchangedWithANote() {
        RgbImage src = gradient(64, 64);
        GenerationResult r = sd.generate(GenerationRequest.builder(Task.INPAINT).model("tiny-sd").source(src)
                .mask(Mask.empty(64, 64)).prompt("x").seed(1).build(), ProgressListener.NONE, CancellationToken.none());
        assertEquals(src, r.first().image());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("mask is empty")), r.notes().toString());
    }

    @Test
    void provenanceRecordsEveryResolvedParameter() {
        GenerationResult r = sd.generate(txt2img(8).scheduler("ddim").build(), ProgressListener.NONE, CancellationToken.none());
        assertEquals("tiny-sd", r.provenance().modelId());
        assertEquals("4", r.provenance().parameters().get("steps"));
        assertEquals("DDIM", r.provenance().parameters().get("scheduler"));
        assertEquals("5", r.provenance().parameters().get("guidance"));
        String text = r.provenance().toA1111Text(8);
        assertTrue(text.startsWith("a red apple on a table\n"), text);
        assertTrue(text.contains("Steps: 4, Sampler: DDIM, CFG scale: 5, Seed: 8, Size: 64x64"), text);
        assertTrue(r.timings().containsKey("denoise") && r.timings().containsKey("decode"));
        assertNotEquals(0, r.totalTime().toNanos());
    }
}
