package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 11's "done when": {@code pigment generate --model <Z-Image folder> "..."} gives the reference pixels. */
class ZImageCliTest {
    @TempDir
    Path dir;

    @Test
    void generateWithAZImageFolderReproducesTheReferencePipeline() throws Exception {
        Path root = Path.of(ZImageCliTest.class.getResource("/zimage").toURI());
        Path out = dir.resolve("z.png");
        CommandLine cl = PigmentCli.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        // pigment.json recommends 64x64, 4 steps, guidance 0: the reference case txt2img-64-seed1.
        int code = cl.execute("generate", "--model", root.resolve("tiny-zimage").toString(), "--seed", "1",
                "--threads", "1", "-q", "-o", out.toString(), "a red apple on the table");
        assertEquals(0, code, err.toString());
        RgbImage ours = RgbImage.fromBufferedImage(PngFiles.read(out));
        RgbImage reference = PngFiles.readRgb(root.resolve("reference/txt2img-64-seed1.png"));
        int worst = 0;
        for (int i = 0; i < ours.data().length; i++) {
            worst = Math.max(worst, Math.abs(RgbImage.to8(ours.data()[i]) - RgbImage.to8(reference.data()[i])));
        }
        assertTrue(worst <= 1, "largest difference " + worst + " levels");
        assertTrue(PngFiles.readText(out).get("parameters").contains("Seed: 1"));
    }

    @Test
    void anUnavailableDeviceFailsWithWhatToDoAndWritesNothing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA), "this ONNX Runtime has CUDA");
        Path root = Path.of(ZImageCliTest.class.getResource("/zimage").toURI());
        Path out = dir.resolve("gpu.png");
        CommandLine cl = PigmentCli.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("generate", "--model", root.resolve("tiny-zimage").toString(), "--device", "cuda",
                "-q", "-o", out.toString(), "x");
        assertTrue(code != 0);
        assertTrue(err.toString().contains("onnxruntime_gpu"), err.toString());
        assertTrue(!java.nio.file.Files.exists(out));
        assertTrue(cl.execute("generate", "--device", "tpu", "x") != 0);
    }
}
