package dev.pigment.core.bench;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.classic.Fills;
import dev.pigment.core.classic.HoleFiller;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Speed of the classic fills on a 1024x1024 image with a 10 % square hole, after warm-up, as ratios
 * against the blur fill (the cheapest pass over the same image) run in the same process.
 *
 * <pre>
 *   java -cp "$(cat cp.txt):plugin-core/target/classes:plugin-core/target/test-classes" \
 *        dev.pigment.core.bench.ClassicInpaintBenchmark [image.png] [runs]
 * </pre>
 * Default image: skimage's astronaut (Debian python3-skimage), upscaled; else a synthetic one.
 */
public final class ClassicInpaintBenchmark {
    private ClassicInpaintBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        File file = new File(args.length > 0 ? args[0] : "/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int side = 1024;
        RgbImage src = file.exists() ? RgbImage.fromBufferedImage(ImageIO.read(file)).resize(side, side)
                : RgbImage.filled(side, side, 0.5f, 0.4f, 0.3f);
        int hole = (int) Math.round(Math.sqrt(0.10 * side * side));
        Mask mask = Mask.rectangle(side, side, 360, 340, hole, hole);
        System.out.printf(Locale.ROOT, "image %s %dx%d, hole %.1f %%, %d cores, %d runs (median)%n",
                file.exists() ? file.getName() : "synthetic", side, side, 100 * mask.coverage(),
                Runtime.getRuntime().availableProcessors(), runs);
        String[][] cases = {{"blur", ""}, {"telea", ""}, {"patchmatch", ""}, {"patchmatch", "band"}};
        double base = 0;
        for (String[] c : cases) {
            Map<String, String> options = c[1].isEmpty() ? Map.of() : Map.of("search", c[1]);
            HoleFiller filler = Fills.forMode(c[0], options, 1);
            filler.fill(src, mask, CancellationToken.none());   // warm-up
            double[] t = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                filler.fill(src, mask, CancellationToken.none());
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            java.util.Arrays.sort(t);
            double median = t[runs / 2];
            if (base == 0) {
                base = median;
            }
            System.out.printf(Locale.ROOT, "%-22s %7.3f s   %6.1fx blur%n",
                    c[0] + (c[1].isEmpty() ? "" : " search=" + c[1]), median, median / base);
        }
    }
}
