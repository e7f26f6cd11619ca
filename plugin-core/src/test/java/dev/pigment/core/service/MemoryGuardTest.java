package dev.pigment.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The memory guard's estimate against measured peaks on the demo model, and its refusal before loading. */
class MemoryGuardTest {
    private static ModelRegistry registry() {
        return new ModelRegistry(List.of(EditingEngineTest.repoRoot().resolve("models")));
    }

    private static GenerationRequest txt2img(int side) {
        return GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo").prompt("red heart").seed(1).steps(2)
                .size(side, side).build();
    }

    @Test
    void aJobThatWouldNotFitIsRefusedBeforeLoadingWithTheLargestSizeThatFits() {
        long available = 600L << 20;
        List<Progress> events = new ArrayList<>();
        try (GenerationService service = new GenerationService(registry(), RuntimeOptions.defaults(), 1L << 30,
                new MemoryGuard(() -> available))) {
            PigmentException e = assertThrows(PigmentException.class, () -> service.run(
                    GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo").prompt("red heart").size(1024, 768).build(),
                    events::add, CancellationToken.none()));
            assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
            assertTrue(e.getMessage().contains("needs about") && e.getMessage().contains("at 1024x768")
                    && e.getMessage().contains("fits"), e.getMessage());
            assertTrue(events.stream().noneMatch(p -> p.phase().equals("load")), "refused before loading: " + events);
            String fits = e.getMessage().replaceAll(".*At most (\\d+x\\d+) fits.*", "$1");
            int w = Integer.parseInt(fits.split("x")[0]);
            int h = Integer.parseInt(fits.split("x")[1]);
            assertTrue(w < 1024 && w * 3 / 4 - h <= 8, fits + " keeps the aspect");
            // The size it names does run.
            service.run(txt2img(Math.min(w, h)), ProgressListener.NONE, CancellationToken.none());
        }
    }

    @Test
    void estimateIsNeverBelowTheMeasuredPeakAndWithinTwiceIt() throws IOException {
        Path clear = Path.of("/proc/self/clear_refs");
        Assumptions.assumeTrue(Files.isWritable(clear), "needs Linux's /proc/self/clear_refs to reset the peak");
        ModelInfo demo = registry().resolve("demo");
        MemoryGuard guard = new MemoryGuard(() -> Long.MAX_VALUE);
        for (int side : new int[] {128, 256, 384}) {
            System.gc();
            long before = status("VmRSS");
            Files.writeString(clear, "5");
            try (GenerationService service = new GenerationService(registry(), RuntimeOptions.defaults(), 1L << 30, guard)) {
                service.run(txt2img(side), ProgressListener.NONE, CancellationToken.none());
            }
            long peak = status("VmHWM");
            long estimate = before + guard.estimate(demo, MemoryPolicy.KEEP_LOADED, false, side, side, true, 0).total();
            String what = side + " px: estimated " + (estimate >> 20) + " MB, measured peak " + (peak >> 20) + " MB (before " + (before >> 20) + " MB, " + guard.estimate(demo, MemoryPolicy.KEEP_LOADED, false, side, side, true, 0) + ")";
            System.out.println("memory " + what);
            assertTrue(estimate >= peak, "never below the measured peak: " + what);
            assertTrue(estimate <= 2 * peak, "within twice the measured peak: " + what);
        }
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
