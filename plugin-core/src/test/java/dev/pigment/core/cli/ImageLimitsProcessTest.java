package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over-limit inputs are refused from their header, before decoding: the CLI runs with a 200 MB heap, in
 * which decoding 20000x20000 pixels (1.6 GB as ARGB) would end in an out-of-memory failure instead of exit 2.
 */
class ImageLimitsProcessTest {
    @TempDir
    Path dir;

    private void assertRefused(Path input, String size) throws Exception {
        Path out = dir.resolve("out.png");
        CliProcess.Result r = CliProcess.run(dir, List.of("-Xmx200m"), "restyle", "--model", "classic",
                "--reference", input.toString(), "-o", out.toString(), input.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(size) && r.err().contains("8192"), "names the size and the limit: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aHeaderClaiming20000x20000IsRefusedWithoutDecoding() throws Exception {
        Path bomb = BombPngs.craftedHeader(dir.resolve("liar.png"), 20000, 20000);
        assertTrue(Files.size(bomb) < 100);
        assertRefused(bomb, "20000x20000");
    }

    @Test
    void aReal20000x20000PngIsRefusedWithoutDecoding() throws Exception {
        assertRefused(BombPngs.real(dir.resolve("huge.png"), 20000, 20000), "20000x20000");
    }

    @Test
    void oneSideOverTheLimitIsRefusedLikeWidth() throws Exception {
        assertRefused(BombPngs.real(dir.resolve("wide.png"), 8193, 10), "8193x10");
    }
}
