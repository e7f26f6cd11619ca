package dev.pigment.core.image;

import dev.pigment.core.api.PigmentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a set of output files all or nothing, through the paths the user gave.
 *
 * <p>Every regular file is first written to a temp file next to its target; only when all of them
 * (an image, its {@code -raw} companion, a batch) are complete are they renamed into place, and on any
 * failure every temp file is removed, so a failed run leaves neither half-written files nor leftovers.
 * A symbolic link is followed (the file it names is written, the link stays); a device or FIFO (e.g.
 * {@code /dev/stdout}) is written directly, never replaced; {@code -} means standard output. New files
 * get the usual mode (0666 less the umask); an overwritten file keeps its mode.
 */
public final class OutputFiles implements AutoCloseable {
    /** The name that means standard output. */
    public static final String STDOUT = "-";

    /** Produces a file's bytes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Staged(Path shown, Path target, Path temp, byte[] direct) {
    }

    private final OutputStream stdout;
    private final List<Staged> staged = new ArrayList<>();

    /** @param stdout where {@code -} writes */
    public OutputFiles(OutputStream stdout) {
        this.stdout = stdout;
    }

    /** Writes the content to a temp file (or memory, for devices and standard output) until {@link #commit}. */
    public void stage(Path file, Content content) {
        try {
            if (writesDirectly(file)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                content.writeTo(bytes);
                staged.add(new Staged(file, file, null, bytes.toByteArray()));
                return;
            }
            Path target = target(file);
            if (Files.isDirectory(target)) {
                throw PigmentException.badRequest("Cannot write " + file + ": it is a folder. Give a file name with -o.");
            }
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + target.getFileName() + ".pigment-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            staged.add(new Staged(file, target, temp, null));
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw failure(file, e);
        }
    }

    /**
     * Standard output, devices and FIFOs, and anything under /dev or /proc ({@code /dev/stdout} leads
     * through {@code /proc/self/fd/1} to whatever the shell redirected to: replacing that file would
     * detach it from the shell) are opened and written as they are.
     */
    /** {@code -} and the names of this process's standard output: written to the stream itself. */
    public static boolean isStdout(Path file) {
        String name = file.toString();
        return name.equals(STDOUT) || name.equals("/dev/stdout") || name.equals("/dev/fd/1") || name.equals("/proc/self/fd/1");
    }

    private static boolean writesDirectly(Path file) {
        if (isStdout(file)) {
            return true;
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (absolute.startsWith("/dev") || absolute.startsWith("/proc")) {
            return true;
        }
        return Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file);
    }

    /** Puts every staged file in place; the order is the order of staging. */
    public void commit() {
        try {
            for (Staged s : staged) {
                if (s.direct() != null) {
                    writeDirect(s);
                } else {
                    keepMode(s.target(), s.temp());
                    Files.move(s.temp(), s.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            staged.clear();
        } catch (IOException e) {
            Path shown = staged.isEmpty() ? Path.of(STDOUT) : staged.get(0).shown();
            close();
            throw failure(shown, e);
        }
    }

    /** Removes whatever was staged and not committed. */
    @Override
    public void close() {
        for (Staged s : staged) {
            if (s.temp() != null) {
                try {
                    Files.deleteIfExists(s.temp());
                } catch (IOException ignored) {
                    // Nothing more can be done; the failure being reported matters more.
                }
            }
        }
        staged.clear();
    }

    private void writeDirect(Staged s) throws IOException {
        if (isStdout(s.shown())) {
            stdout.write(s.direct());
            stdout.flush();
            return;
        }
        // WRITE alone: a device is neither created nor truncated (a missing /dev name is an error).
        try (OutputStream out = Files.newOutputStream(s.target(), StandardOpenOption.WRITE)) {
            out.write(s.direct());
        }
    }

    /** The file a path names after following symbolic links (also dangling ones, which are created). */
    static Path target(Path file) throws IOException {
        Path p = file;
        for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
            Path link = Files.readSymbolicLink(p);
            p = p.toAbsolutePath().getParent().resolve(link);
        }
        return p;
    }

    private static void keepMode(Path target, Path temp) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PosixFileAttributeView from = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (from != null && to != null) {
            to.setPermissions(from.readAttributes().permissions());
        }
    }

    /** A message naming the cause in the user's words: disk full, permission denied, not a folder. */
    static PigmentException failure(Path file, Exception e) {
        if (e instanceof PigmentException p) {
            return p;
        }
        String cause = cause(e);
        return PigmentException.badRequest("Cannot write " + file + ": " + cause + ".");
    }

    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left") || m.contains("Disk quota")) {
                return "the disk is full (no space left on device); free some space or write elsewhere";
            }
            if (t instanceof AccessDeniedException || m.contains("Permission denied")) {
                return "permission denied for " + (t instanceof AccessDeniedException a ? a.getFile() : "the folder")
                        + "; choose a folder you can write to";
            }
            if (t instanceof NotDirectoryException || m.contains("Not a directory") || t instanceof FileAlreadyExistsException) {
                return "a part of the path is a file, not a folder";
            }
            if (m.contains("Read-only file system")) {
                return "the file system is read-only";
            }
            if (t instanceof NoSuchFileException n) {
                return "no such file or folder " + n.getFile();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
