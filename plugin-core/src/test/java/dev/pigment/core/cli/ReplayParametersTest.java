package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pigment.core.api.A1111Parameters;
import dev.pigment.core.image.ImageFiles;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.sched.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parameters Pigment writes into a PNG replay word for word: read back, turned into the same CLI
 * flags (the sampler under its A1111 name), they give the same pixels, for every scheduler, with a
 * prompt and a negative prompt that span lines.
 */
class ReplayParametersTest {
    @TempDir
    Path dir;

    private static CliRun run(List<String> args) {
        return CliRun.run(args.toArray(String[]::new));
    }

    static List<String> schedulers() {
        return Schedulers.ids();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void writtenParametersReplayToTheSamePixels(String scheduler) throws Exception {
        Path first = dir.resolve("first.png");
        CliRun r = run(List.of("generate", "--model", "demo", "--scheduler", scheduler, "--seed", "21", "--steps", "3",
                "--guidance", "2.5", "-n", "blurry,\nNegative prompt: dark", "-q", "-o", first.toString(),
                "a red\nheart, \"shiny\": big"));
        if (r.code() == 2 && r.err().contains("does not work with this model")) {
            return; // a scheduler of another model family: refused up front, nothing to replay
        }
        assertEquals(0, r.code(), r.err());
        String text = PngFiles.readText(first).get(PngFiles.PARAMETERS_KEY);
        Map<String, String> p = A1111Parameters.parse(text);
        assertEquals("a red\nheart, \"shiny\": big", p.get("prompt"), text);
        assertEquals("blurry,\nNegative prompt: dark", p.get("negative"), text);
        Path again = dir.resolve("again.png");
        List<String> replay = new ArrayList<>(List.of("generate", "--model", p.get("model"), "--scheduler", p.get("scheduler"),
                "--seed", p.get("seed"), "--steps", p.get("steps"), "--guidance", p.get("guidance"),
                "-W", p.get("width"), "-H", p.get("height"), "-n", p.get("negative"), "-q", "-o", again.toString(),
                p.get("prompt")));
        assertEquals(0, run(replay).code(), "replaying " + text);
        assertEquals(ImageFiles.read(first).rgb(), ImageFiles.read(again).rgb(), "same pixels for " + p.get("scheduler"));
        if (scheduler.equals("euler-a")) {
            assertEquals("Euler a", p.get("scheduler"), "the A1111 name is written, and accepted back");
        }
    }
}
