package dev.pigment.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pigment.core.api.PigmentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path dir;

    private static OutputFiles.Content text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void writeAll(Path... files) {
        try (OutputFiles out = new OutputFiles(new ByteArrayOutputStream())) {
            for (Path f : files) {
                out.stage(f, text("new " + f.getFileName()));
            }
            out.commit();
        }
    }

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aSymlinkIsWrittenThroughNotReplaced() throws Exception {
        Path real = Files.writeString(dir.resolve("real.png"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), real.getFileName());
        writeAll(link);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new link.png", Files.readString(real));
    }

    @Test
    void aFifoIsWrittenDirectlyNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe.png");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writeAll(fifo);
        assertArrayEquals("new pipe.png".getBytes(StandardCharsets.UTF_8), read.get());
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");
    }

    @Test
    void aFailureRemovesEveryTempFileAndCompanionAndKeepsTheOldFile() throws Exception {
        Path old = Files.writeString(dir.resolve("out.png"), "old");
        PigmentException e;
        try (OutputFiles out = new OutputFiles(new ByteArrayOutputStream())) {
            out.stage(dir.resolve("out-raw.png"), text("raw"));
            e = assertThrows(PigmentException.class, () -> out.stage(old, o -> {
                o.write(1);
                throw new IOException("No space left on device");
            }));
        }
        assertTrue(e.getMessage().contains("disk is full") && e.getMessage().contains("out.png"), e.getMessage());
        assertEquals("old", Files.readString(old));
        assertEquals(1, entries(), "no temp file, no -raw companion");
    }

    @Test
    void aPermissionProblemIsNamedAndNothingIsLeft() throws Exception {
        PigmentException e;
        try (OutputFiles out = new OutputFiles(new ByteArrayOutputStream())) {
            e = assertThrows(PigmentException.class, () -> out.stage(dir.resolve("p.png"), o -> {
                throw new java.nio.file.AccessDeniedException(dir.resolve("p.png").toString());
            }));
        }
        assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        assertEquals(0, entries());
    }

    @Test
    void aFullDeviceIsNamedAsADiskFull() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")));
        Path link = Files.createSymbolicLink(dir.resolve("full.png"), Path.of("/dev/full"));
        PigmentException e = assertThrows(PigmentException.class, () -> writeAll(link));
        assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aFileInThePlaceOfAFolderIsNamed() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        PigmentException e = assertThrows(PigmentException.class, () -> writeAll(dir.resolve("file/out.png")));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void newFilesGetTheUmaskModeAndOverwrittenFilesKeepTheirs() throws Exception {
        Path reference = Files.createFile(dir.resolve("reference"));
        writeAll(dir.resolve("fresh.png"));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(dir.resolve("fresh.png")));
        Path kept = Files.writeString(dir.resolve("kept.png"), "old");
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-r-----"));
        writeAll(kept);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
        assertEquals("new kept.png", Files.readString(kept));
    }

    @Test
    void dashIsStandardOutput() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (OutputFiles out = new OutputFiles(stdout)) {
            out.stage(Path.of("-"), text("png bytes"));
            assertEquals(0, stdout.size(), "nothing before commit");
            out.commit();
        }
        assertEquals("png bytes", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void devStdoutIsThisProcesssStandardOutputNotAFileToReplace() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (OutputFiles out = new OutputFiles(stdout)) {
            out.stage(Path.of("/dev/stdout"), text("png bytes"));
            out.commit();
        }
        assertEquals("png bytes", stdout.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(Path.of("/dev/stdout")) || !Files.isRegularFile(Path.of("/dev/stdout")));
    }

    @Test
    void aMissingDeviceIsNotCreated() {
        PigmentException e = assertThrows(PigmentException.class, () -> writeAll(Path.of("/dev/pigment-no-such-device")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertFalse(Files.exists(Path.of("/dev/pigment-no-such-device")));
    }

    @Test
    void outputFormatsFollowTheExtension() {
        assertEquals(ImageFormat.PNG, ImageFormat.forFile(Path.of("a.PNG")));
        assertEquals(ImageFormat.JPEG, ImageFormat.forFile(Path.of("a.jpeg")));
        assertEquals(ImageFormat.JPEG, ImageFormat.forFile(Path.of("a.jpg")));
        assertEquals(ImageFormat.TIFF, ImageFormat.forFile(Path.of("a.tif")));
        assertEquals(ImageFormat.PNG, ImageFormat.forFile(Path.of("-")));
        PigmentException e = assertThrows(PigmentException.class, () -> ImageFormat.forFile(Path.of("a.gif")));
        assertTrue(e.getMessage().contains(".gif") && e.getMessage().contains(".png"), e.getMessage());
    }
}
