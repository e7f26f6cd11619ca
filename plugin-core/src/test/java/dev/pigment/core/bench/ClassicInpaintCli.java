package dev.pigment.core.bench;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.classic.Fills;
import dev.pigment.core.classic.HoleFiller;
import dev.pigment.core.classic.PatchMatchInpainter;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Runs one classic fill on PNG files, for bench/classic/inpaint_benchmark.py.
 *
 * <pre>
 *   ClassicInpaintCli FILL in.png mask.png out.png [key=value ...]
 *   ClassicInpaintCli --batch jobs.tsv      (one job per line: FILL in mask out [key=value ...], tab-separated)
 * </pre>
 * Keys starting with {@code x-} tune PatchMatch beyond the user options, for measuring alternatives:
 * {@code x-guide} (float), {@code x-percentile} (0..1), {@code x-copy} and {@code x-blend} (true/false).
 * Prints one line per job: {@code out-path <TAB> milliseconds}, the time of the fill alone (no PNG I/O).
 * In batch mode the JVM is warmed by the first job, so the figures are steady-state times.
 */
public final class ClassicInpaintCli {
    private ClassicInpaintCli() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--batch")) {
            for (String line : Files.readAllLines(Path.of(args[1]))) {
                if (!line.isBlank()) {
                    run(line.split("\t"));
                }
            }
        } else if (args.length >= 4) {
            run(args);
        } else {
            System.err.println("usage: ClassicInpaintCli FILL in.png mask.png out.png [key=value ...] | --batch jobs.tsv");
            System.exit(2);
        }
    }

    private static Map<String, String> withoutTuning(Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>(options);
        out.keySet().removeIf(k -> k.startsWith("x-"));
        return out;
    }

    private static HoleFiller tuned(HoleFiller filler, Map<String, String> options) {
        if (!(filler instanceof PatchMatchInpainter pm)) {
            return filler;
        }
        PatchMatchInpainter.Settings s = pm.settings();
        PatchMatchInpainter.Settings t = new PatchMatchInpainter.Settings(s.patchSize(), s.bandSearch(), s.bandWidth(),
                Float.parseFloat(options.getOrDefault("x-guide", Float.toString(s.guideWeight()))),
                Float.parseFloat(options.getOrDefault("x-percentile", Float.toString(s.votePercentile()))),
                Boolean.parseBoolean(options.getOrDefault("x-copy", Boolean.toString(s.finalCopy()))),
                Boolean.parseBoolean(options.getOrDefault("x-blend", Boolean.toString(s.blend()))), s.transforms());
        return new PatchMatchInpainter(t, pm.avoid(), pm.seed());
    }

    private static void run(String[] job) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> extra = Arrays.asList(job).subList(4, job.length);
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        long seed = Long.parseLong(options.getOrDefault("seed", "0"));
        options.remove("seed");
        RgbImage src = RgbImage.fromBufferedImage(ImageIO.read(Path.of(job[1]).toFile()));
        Mask mask = Mask.fromBufferedImage(ImageIO.read(Path.of(job[2]).toFile()));
        HoleFiller filler = tuned(Fills.forMode(job[0], withoutTuning(options), seed), options);
        long t0 = System.nanoTime();
        RgbImage out = filler.fill(src, mask, CancellationToken.none());
        long t1 = System.nanoTime();
        ImageIO.write(out.toBufferedImage(), "png", Path.of(job[3]).toFile());
        System.out.println(job[3] + "\t" + String.format(java.util.Locale.ROOT, "%.1f", (t1 - t0) / 1e6));
    }
}
