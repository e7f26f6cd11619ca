package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.model.OnnxModelHeader;
import dev.pigment.core.model.ValidationReport;
import dev.pigment.core.runtime.RuntimeOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The export recipe's default attention ({@code zimage_onnx.export_transformer(attention="fused")}): the tiny
 * fixture's transformer with the same weights, each attention written as ONNX Runtime's
 * {@code com.microsoft::MultiHeadAttention} (src/test/fixtures/make_tiny_zimage_fused.py), run by Pigment's unchanged
 * pipeline, gives diffusers' committed reference pixels.
 */
class ZImageFusedAttentionTest {
    private static final String FUSED_OP = "com.microsoft:MultiHeadAttention";

    @TempDir
    static Path models;
    private static LatentDiffusionPipeline fused;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        ZImageParityTest.load();
        Path folder = models.resolve("tiny-zimage-fused");
        ZImageRopeTablesTest.copyTree(ZImageParityTest.root.resolve("tiny-zimage"), folder);
        Files.copy(ZImageParityTest.root.resolve("tiny-zimage-fused-transformer.onnx"),
                folder.resolve("transformer/model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        fused = new LatentDiffusionPipeline(new ModelRegistry(List.of(models)).resolve("tiny-zimage-fused"),
                RuntimeOptions.defaults().withThreads(1));
    }

    @AfterAll
    static void close() {
        if (fused != null) {
            fused.close();
        }
        ZImageParityTest.close();
    }

    @Test
    void theFusedGraphHoldsMultiHeadAttentionAndNoSoftmaxUnlikeTheDecomposedOne() {
        Set<String> fusedOps = OnnxModelHeader.read(models.resolve("tiny-zimage-fused/transformer/model.onnx"))
                .operators();
        assertTrue(fusedOps.contains(FUSED_OP), "fused graph operators: " + fusedOps);
        assertFalse(fusedOps.contains("Softmax"), "fused graph operators: " + fusedOps);
        // The committed decomposed export really spells attention out, so the two checks above can fail.
        Set<String> decomposedOps = OnnxModelHeader.read(ZImageParityTest.root.resolve(
                "tiny-zimage/transformer/model.onnx")).operators();
        assertTrue(decomposedOps.contains("Softmax") && !decomposedOps.contains(FUSED_OP),
                "decomposed graph operators: " + decomposedOps);
    }

    @Test
    void theRegistryAcceptsTheFusedFolder() {
        ValidationReport report = new ModelRegistry(List.of()).validate(models.resolve("tiny-zimage-fused"), false);
        assertTrue(report.problems().isEmpty(), report.explain());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pigment.core.pipeline.ZImageParityTest#caseNames")
    void theFusedExportGivesTheReferencesPixels(String name) {
        GenerationRequest request = ZImageParityTest.request(name, "tiny-zimage-fused");
        RgbImage ours = fused.generate(request, ProgressListener.NONE, CancellationToken.none()).first().image();
        ZImageParityTest.assertMatchesReference(name, request, ours);
    }
}
