package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.bench.TaesdWriter;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TAESD-layout tiny decoder on a copy of tiny-sd with a {@code vae_decoder_tiny/} written by the test. */
class TinyDecoderTest {
    @TempDir
    static Path root;
    private static ModelInfo withTiny;

    @BeforeAll
    static void makeModel() throws IOException {
        Path dst = root.resolve("tiny-sd-taesd");
        copy(TinyModels.root().resolve("tiny-sd"), dst);
        // TAESD's shape, narrowed (8 channels, 1 block per stage) to stay a few kB; 3 upsamples = tiny-sd's f=8.
        TaesdWriter.write(dst.resolve(TinyDecoder.COMPONENT).resolve("model.onnx"), 4, 8, 1, 3, 7);
        withTiny = new ModelRegistry(List.of(root)).resolve("tiny-sd-taesd");
    }

    private static void copy(Path src, Path dst) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
    }

    private static GenerationRequest.Builder txt2img() {
        return GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd-taesd").prompt("a red apple on a table")
                .seed(42).steps(3).guidance(5.0).size(64, 64);
    }

    /** Records every preview. */
    private static final class Previews implements ProgressListener {
        final List<RgbImage> images = new ArrayList<>();

        @Override
        public void onProgress(Progress p) {
            if (p.preview() != null) {
                images.add(p.preview());
            }
        }

        @Override
        public boolean wantsPreview() {
            return true;
        }
    }

    @Test
    void previewsUseTheTinyDecoderAndDecoderTinyGivesItsFinalImage() {
        for (MemoryPolicy policy : MemoryPolicy.values()) {
            try (LatentDiffusionPipeline sd = new LatentDiffusionPipeline(withTiny,
                    RuntimeOptions.defaults().withThreads(1).withMemoryPolicy(policy))) {
                Previews previews = new Previews();
                GenerationResult tiny = sd.generate(txt2img().option("decoder", "tiny").build(), previews,
                        CancellationToken.none());
                assertEquals(3, previews.images.size(), policy + ": one preview per step");
                RgbImage last = previews.images.get(2);
                // Full-size previews: the tiny decoder ran (the linear projection gives latent-size 8x8 ones).
                assertEquals(64, last.width());
                assertEquals(64, last.height());
                // decoder=tiny: the final image is the tiny decoding of the final latents = the last preview.
                assertArrayEquals(last.data(), tiny.first().image().data(), policy.toString());
                assertEquals("tiny", tiny.provenance().parameters().get("decoder"));

                GenerationResult full = sd.generate(txt2img().build(), ProgressListener.NONE, CancellationToken.none());
                assertFalse(java.util.Arrays.equals(last.data(), full.first().image().data()),
                        "without the option the final image comes from the full VAE");
                assertFalse(full.provenance().parameters().containsKey("decoder"));
            }
        }
    }

    @Test
    void withoutATinyDecoderPreviewsAreTheLinearProjectionAndDecoderTinyIsRefused() {
        try (LatentDiffusionPipeline sd = new LatentDiffusionPipeline(TinyModels.model("tiny-sd"),
                RuntimeOptions.defaults().withThreads(1))) {
            GenerationRequest.Builder plain = GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd")
                    .prompt("an apple").seed(1).steps(2).guidance(1.0).size(64, 64);
            Previews previews = new Previews();
            sd.generate(plain.build(), previews, CancellationToken.none());
            assertEquals(8, previews.images.get(0).width(), "linear projection previews are latent-sized");
            PigmentException e = assertThrows(PigmentException.class, () -> sd.generate(
                    plain.option("decoder", "tiny").build(), ProgressListener.NONE, CancellationToken.none()));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("vae_decoder_tiny"), e.getMessage());
        }
    }

    @Test
    void anUnknownDecoderIsRefusedNamingTheValue() {
        try (LatentDiffusionPipeline sd = new LatentDiffusionPipeline(withTiny, RuntimeOptions.defaults().withThreads(1))) {
            PigmentException e = assertThrows(PigmentException.class, () -> sd.generate(
                    txt2img().option("decoder", "taesd").build(), ProgressListener.NONE, CancellationToken.none()));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("decoder=taesd"), e.getMessage());
        }
    }

    @Test
    void aTinyDecoderOfTheWrongScaleIsRefusedNamingTheShapes() throws IOException {
        Path model = root.resolve("tiny-sd-taesd-x4");
        copy(TinyModels.root().resolve("tiny-sd"), model);
        // Two upsamples = 4x, but tiny-sd's VAE works at 8x.
        TaesdWriter.write(model.resolve(TinyDecoder.COMPONENT).resolve("model.onnx"), 4, 8, 1, 2, 7);
        ModelInfo info = new ModelRegistry(List.of(root)).resolve("tiny-sd-taesd-x4");
        try (LatentDiffusionPipeline sd = new LatentDiffusionPipeline(info, RuntimeOptions.defaults().withThreads(1))) {
            PigmentException e = assertThrows(PigmentException.class, () -> sd.generate(
                    txt2img().model("tiny-sd-taesd-x4").option("decoder", "tiny").build(), ProgressListener.NONE,
                    CancellationToken.none()));
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains("expected [1, 3, 64, 64]") && e.getMessage().contains("vae_decoder_tiny"),
                    e.getMessage());
        }
    }

    @Test
    void provenanceNamesTheOnnxRuntimeActuallyLoaded() {
        try (LatentDiffusionPipeline sd = new LatentDiffusionPipeline(withTiny, RuntimeOptions.defaults().withThreads(1))) {
            GenerationResult r = sd.generate(txt2img().steps(1).build(), ProgressListener.NONE, CancellationToken.none());
            // The onnxruntime jar's manifest version; DJL's Engine.getVersion() says 1.21.1 here.
            String jarVersion = OrtEnvironment.class.getPackage().getImplementationVersion();
            assertEquals(jarVersion, r.provenance().parameters().get("onnxruntime"));
        }
    }
}
