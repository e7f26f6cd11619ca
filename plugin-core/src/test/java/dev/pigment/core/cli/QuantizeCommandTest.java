package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.RuntimeOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `pigment quantize`: a real int8 folder that the real ONNX Runtime runs; bad input refused, nothing half-written. */
class QuantizeCommandTest {

    private static Path tinySd() throws Exception {
        return Path.of(QuantizeCommandTest.class.getResource("/models/tiny-sd").toURI());
    }

    private static String python() {
        String env = System.getenv("PIGMENT_PYTHON");
        return env == null || env.isBlank() ? "/usr/bin/python3" : env;
    }

    /** python3 with onnx and numpy; required when CI=true (.ci/run installs python3-onnx). */
    private static void assumePythonOnnx() throws Exception {
        boolean ok;
        try {
            Process p = new ProcessBuilder(python(), "-c", "import onnx, numpy").redirectErrorStream(true).start();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            ok = false;
        }
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but python3 with onnx and numpy is missing (apt-get install python3-onnx)");
        }
        assumeTrue(ok, "python3 with onnx and numpy is not installed; skipping");
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = PigmentCli.newCommandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void writesAnInt8FolderThatGenerates(@TempDir Path dir) throws Exception {
        assumePythonOnnx();
        Path out = dir.resolve("tiny-sd-int8");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "quantize", tinySd().toString(), out.toString(), "--components", "unet,vae_decoder",
                "--min-weights", "64"), err.toString());
        String unet = new String(Files.readAllBytes(out.resolve("unet/model.onnx")), StandardCharsets.ISO_8859_1);
        assertTrue(unet.contains("MatMulInteger") && unet.contains("ConvInteger"), "the UNet's weights are int8");
        try (var siblings = Files.list(dir)) {
            assertEquals(List.of(out), siblings.toList(), "no partial folder is left behind");
        }
        ModelInfo info = new ModelRegistry(List.of(dir)).resolve("tiny-sd-int8");
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(info, RuntimeOptions.defaults().withThreads(1))) {
            var result = p.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model(info.id()).prompt("apple")
                    .seed(1).steps(2).size(64, 64).build(), ProgressListener.NONE, CancellationToken.none());
            assertEquals(64, result.images().get(0).image().width());
        }
    }

    @Test
    void refusesAnExistingOutputFolderAndANonModelFolderNamingThem(@TempDir Path dir) throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(PigmentCli.EXIT_USAGE, run(err, "quantize", tinySd().toString(), dir.toString()));
        assertTrue(err.toString().contains("OUT_DIR '" + dir + "' already exists"), err.toString());
        err = new StringWriter();
        assertEquals(PigmentCli.EXIT_USAGE, run(err, "quantize", dir.toString(), dir.resolve("x").toString()));
        assertTrue(err.toString().contains("has no unet/model.onnx"), err.toString());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aFailingQuantizerLeavesNoFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(PigmentCli.EXIT_RUNTIME, run(err, "quantize", tinySd().toString(), out.toString(),
                "--python", "/bin/false"));
        assertTrue(err.toString().contains("quantizing failed"), err.toString());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "nothing half-written");
        }
    }
}
