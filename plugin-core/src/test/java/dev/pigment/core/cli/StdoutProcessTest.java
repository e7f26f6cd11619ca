package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.ImageFiles;
import dev.pigment.core.image.StoredPixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o -} and {@code -o /dev/stdout} put the PNG on standard output; nothing is written to disk. */
class StdoutProcessTest {
    @TempDir
    Path dir;

    @Test
    void dashAndDevStdoutWriteThePngToStandardOutput() throws Exception {
        Path in = dir.resolve("in.png");
        BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(3, 4, 0, 60);
        ImageIO.write(img, "png", in.toFile());
        for (String target : new String[] {"-", "/dev/stdout"}) {
            CliProcess.Result r = CliProcess.run(dir, "restyle", "--model", "classic", "--reference", in.toString(),
                    "-q", "-o", target, in.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(r.stdoutBytes()));
            assertEquals(20, back.getWidth(), target);
            assertTrue(r.err().contains("wrote standard output"), r.err());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.count(), "only the input: " + target);
            }
        }
        StoredPixels px = ImageFiles.read(in);
        assertEquals(60 / 255f, px.rgb().get(0, 3, 4));
    }
}
