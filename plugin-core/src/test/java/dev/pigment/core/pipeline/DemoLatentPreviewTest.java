package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.LatentRgbFactors;
import dev.pigment.core.model.ModelComponent;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.model.VaeConfig;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The demo model's live preview uses its own latent-to-RGB factors (pigment.json), fitted by least squares
 * on its own VAE decoder; with SD's factors its preview was colour noise.
 */
class DemoLatentPreviewTest {
    /** Pearson correlation the final preview must reach against the decoded image at latent resolution. */
    static final double MIN_CORRELATION = 0.9;
    private static final List<String> FIT_PROMPTS = List.of("red heart", "yellow star", "green apple", "blue circle",
            "smiling face", "cat face", "orange", "purple heart", "fire", "snowflake");

    static ModelInfo demo() {
        String home = System.getProperty(ModelRegistry.HOME_PROPERTY);
        Path root = home != null ? Path.of(home) : Path.of("..");
        return new ModelRegistry(List.of(root.toAbsolutePath().normalize().resolve("models"))).resolve("demo");
    }

    @Test
    void demoPreviewCorrelatesWithTheDecodedImage() {
        ModelInfo model = demo();
        assertNotNull(model.manifest().latentRgb(), "models/demo/pigment.json has latent_rgb_factors");
        try (LatentDiffusionPipeline pipeline = new LatentDiffusionPipeline(model, RuntimeOptions.defaults())) {
            for (String prompt : List.of("red heart", "yellow star", "green apple")) {
                RgbImage[] last = new RgbImage[1];
                ProgressListener keepPreview = new ProgressListener() {
                    @Override
                    public void onProgress(Progress p) {
                        if (p.phase() == Phase.DENOISE && p.preview() != null) {
                            last[0] = p.preview();
                        }
                    }

                    @Override
                    public boolean wantsPreview() {
                        return true;
                    }
                };
                RgbImage decoded = pipeline.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo")
                        .prompt(prompt).seed(3).build(), keepPreview, CancellationToken.none()).first().image();
                RgbImage pooled = pool(decoded, decoded.width() / last[0].width());
                double r = correlation(last[0].data(), pooled.data());
                assertTrue(r > MIN_CORRELATION, prompt + ": the last preview correlates " + r + " with the image");
            }
        }
    }

    /** Recomputes the fit (the script that made the stored numbers); prints the JSON to store on a mismatch. */
    @Test
    void storedFactorsAreTheLeastSquaresFitOnTheDemoDecoder() {
        ModelInfo model = demo();
        LatentRgbFactors fitted = fit(model);
        LatentRgbFactors stored = model.manifest().latentRgb();
        String json = json(fitted);
        assertNotNull(stored, "store in pigment.json: " + json);
        for (int k = 0; k < fitted.channels(); k++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(fitted.factors()[k][c], stored.factors()[k][c], 0.01, "refit gives " + json);
            }
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(fitted.bias()[c], stored.bias()[c], 0.01, "refit gives " + json);
        }
    }

    /** Least squares rgb ~ bias + z W over the demo's own images: z = encode(image), rgb = decode(z) pooled. */
    static LatentRgbFactors fit(ModelInfo model) {
        List<RgbImage> images = new ArrayList<>();
        try (LatentDiffusionPipeline pipeline = new LatentDiffusionPipeline(model, RuntimeOptions.defaults())) {
            for (int i = 0; i < FIT_PROMPTS.size(); i++) {
                images.add(pipeline.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo")
                        .prompt(FIT_PROMPTS.get(i)).seed(100 + i).steps(10).build(), ProgressListener.NONE,
                        CancellationToken.none()).first().image());
            }
        }
        VaeConfig config = VaeConfig.read(model.folder());
        int channels = config.latentChannels();
        double[][] a = new double[channels + 1][channels + 1];
        double[][] b = new double[channels + 1][3];
        try (ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults())) {
            group.add(Vae.ENCODER, model.componentFile(ModelComponent.VAE_ENCODER));
            group.add(Vae.DECODER, model.componentFile(ModelComponent.VAE_DECODER));
            Vae vae = new Vae(group, config, channels, LatentDiffusionPipeline.DEFAULT_VAE_TILE);
            for (RgbImage image : images) {
                int f = vae.downscale();
                int lh = image.height() / f;
                int lw = image.width() / f;
                float[] z = vae.encode(image);
                float[] rgb = pool(vae.decode(z, lh, lw), f).data();
                accumulate(a, b, z, rgb, channels, lh * lw);
            }
        }
        double[][] x = solve(a, b);
        float[][] factors = new float[channels][3];
        float[] bias = new float[3];
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < channels; k++) {
                factors[k][c] = (float) x[k][c];
            }
            bias[c] = (float) x[channels][c];
        }
        return new LatentRgbFactors(factors, bias);
    }

    private static void accumulate(double[][] a, double[][] b, float[] z, float[] rgb, int channels, int n) {
        double[] row = new double[channels + 1];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < channels; k++) {
                row[k] = z[k * n + i];
            }
            row[channels] = 1;
            for (int p = 0; p <= channels; p++) {
                for (int q = 0; q <= channels; q++) {
                    a[p][q] += row[p] * row[q];
                }
                for (int c = 0; c < 3; c++) {
                    b[p][c] += row[p] * rgb[c * n + i];
                }
            }
        }
    }

    /** Gaussian elimination with partial pivoting on the (small, symmetric positive definite) normal equations. */
    private static double[][] solve(double[][] a, double[][] b) {
        int m = a.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                pivot = Math.abs(a[r][col]) > Math.abs(a[pivot][col]) ? r : pivot;
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
            for (int r = 0; r < m; r++) {
                if (r != col) {
                    double k = a[r][col] / a[col][col];
                    for (int q = col; q < m; q++) {
                        a[r][q] -= k * a[col][q];
                    }
                    for (int c = 0; c < 3; c++) {
                        b[r][c] -= k * b[col][c];
                    }
                }
            }
        }
        double[][] x = new double[m][3];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < 3; c++) {
                x[r][c] = b[r][c] / a[r][r];
            }
        }
        return x;
    }

    /** The mean of each f x f block. */
    static RgbImage pool(RgbImage image, int f) {
        int w = image.width() / f;
        int h = image.height() / f;
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            s += image.get(c, x * f + dx, y * f + dy);
                        }
                    }
                    out[c * w * h + y * w + x] = s / (f * f);
                }
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    static double correlation(float[] p, float[] q) {
        double mp = 0;
        double mq = 0;
        for (int i = 0; i < p.length; i++) {
            mp += p[i];
            mq += q[i];
        }
        mp /= p.length;
        mq /= q.length;
        double spq = 0;
        double spp = 0;
        double sqq = 0;
        for (int i = 0; i < p.length; i++) {
            spq += (p[i] - mp) * (q[i] - mq);
            spp += (p[i] - mp) * (p[i] - mp);
            sqq += (q[i] - mq) * (q[i] - mq);
        }
        return spq / Math.sqrt(spp * sqq);
    }

    private static String json(LatentRgbFactors f) {
        StringBuilder s = new StringBuilder("\"latent_rgb_factors\": [");
        for (int k = 0; k < f.channels(); k++) {
            s.append(k == 0 ? "" : ", ").append(triple(f.factors()[k]));
        }
        return s.append("], \"latent_rgb_bias\": ").append(triple(f.bias())).toString();
    }

    private static String triple(float[] v) {
        return String.format(Locale.ROOT, "[%.4f, %.4f, %.4f]", v[0], v[1], v[2]);
    }
}
