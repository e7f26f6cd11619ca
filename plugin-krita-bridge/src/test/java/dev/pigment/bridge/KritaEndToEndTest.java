package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Krita plugin in Debian's real Krita under Xvfb: installed from the built zip into a fresh profile, driven
 * by a test-only plugin (src/test/krita/pigment_e2e) that presses the docker's own buttons against a live server.
 */
class KritaEndToEndTest {
    @TempDir
    Path home;

    @Test
    void theDockerInpaintsGeneratesAndCancelsInARealKrita() throws Exception {
        External.require("krita");
        External.require("xvfb-run");
        Path pykrita = home.resolve(".local/share/krita/pykrita");
        unzip(Path.of(System.getProperty("pigment.krita.zip")), pykrita);
        copyTree(Path.of("src/test/krita").toAbsolutePath(), pykrita);
        Path config = Files.createDirectories(home.resolve(".config"));
        Files.writeString(config.resolve("kritarc"), "[python]\nenable_pigment_krita=true\nenable_pigment_e2e=true\n");
        Files.writeString(config.resolve("kritadisplayrc"), "[General]\nOpenGLRenderer=none\n");
        Path out = Files.createDirectories(home.resolve("out"));
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null)) {
            External.Run r = External.run(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "krita", "--nosplash"),
                    home, Map.of("HOME", home.toString(), "PIGMENT_PORT", String.valueOf(s.port()),
                            "PIGMENT_E2E_OUT", out.toString(), "PYTHONDONTWRITEBYTECODE", "1",
                            "QT_LOGGING_RULES", "*=false"), 300);
            Path result = out.resolve("result.json");
            assertTrue(Files.exists(result), "Krita wrote no result (exit " + r.exitCode() + "):\n" + tail(r.output()));
            JsonObject json = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
            System.out.println("Krita end-to-end checks passed: " + json.get("checks"));
            assertTrue(json.getAsJsonArray("failures").isEmpty(), "failed in Krita: " + json.get("failures")
                    + "\npassed: " + json.get("checks"));
        }
        Path target = Path.of("target");
        for (String png : List.of("krita-docker.png", "krita-window.png", "inpainted.png")) {
            if (Files.exists(out.resolve(png))) {
                Files.copy(out.resolve(png), target.resolve(png), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    static void unzip(Path zip, Path to) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path p = to.resolve(e.getName()).normalize();
                if (!p.startsWith(to)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try (InputStream in = Files.newInputStream(p)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }
}
