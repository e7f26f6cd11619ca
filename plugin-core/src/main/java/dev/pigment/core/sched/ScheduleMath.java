package dev.pigment.core.sched;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.util.Arrays;

/**
 * The numeric building blocks diffusers' schedulers share, each reproducing the dtype and operation order of
 * the torch (float32) or numpy (float64) code it ports, so that schedules match diffusers to the last bit
 * where the tests need it.
 */
final class ScheduleMath {
    /** Vectorized&lt;float&gt;::size() on AVX2 (and on torch's default build): the chunk torch.linspace fills at once. */
    private static final int TORCH_FLOAT_LANES = 8;

    private ScheduleMath() {
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=torch.float32)} on CPU: float32 step, the first half counted
     * from start and the second from end, filled in 8-lane chunks whose lanes are {@code base + k * step}; torch's
     * AVX2 build contracts the base's multiply-add into an FMA, not the lanes' (checked bit for bit against
     * torch 1.13).
     */
    static float[] torchLinspace(double start, double end, int steps) {
        float[] out = new float[steps];
        if (steps == 0) {
            return out;
        }
        float s = (float) start;
        float e = (float) end;
        if (steps == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (float) (steps - 1);
        int halfway = steps / 2;
        int i = 0;
        for (; i <= steps - 2 * TORCH_FLOAT_LANES; i += 2 * TORCH_FLOAT_LANES) {
            for (int chunk = i; chunk < i + 2 * TORCH_FLOAT_LANES; chunk += TORCH_FLOAT_LANES) {
                float base = chunk < halfway ? Math.fma(step, (float) chunk, s)
                        : Math.fma(-step, (float) (steps - chunk - 1), e);
                out[chunk] = base;
                for (int k = 1; k < TORCH_FLOAT_LANES; k++) {
                    out[chunk + k] = base + (float) k * step;
                }
            }
        }
        for (; i < steps; i++) {
            out[i] = i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e);
        }
        return out;
    }

    /** {@code np.linspace(start, stop, num, endpoint)} in float64. */
    static double[] numpyLinspace(double start, double stop, int num, boolean endpoint) {
        double[] out = new double[num];
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        if (div > 0) {
            double step = delta / div;
            for (int i = 0; i < num; i++) {
                out[i] = step == 0 ? i / (double) div * delta + start : i * step + start;
            }
        } else if (num > 0) {
            out[0] = start;
        }
        if (endpoint && num > 1) {
            out[num - 1] = stop;
        }
        return out;
    }

    /** The float32 betas diffusers builds from beta_start/beta_end/beta_schedule or trained_betas. */
    static float[] betas(SchedulerConfig config) {
        int n = config.numTrainTimesteps();
        float[] betas;
        double[] trained = config.trainedBetas().orElse(null);
        if (trained != null) {
            betas = new float[trained.length];
            for (int i = 0; i < trained.length; i++) {
                betas[i] = (float) trained[i];
            }
            if (betas.length != n) {
                throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: trained_betas has "
                        + betas.length + " values but num_train_timesteps is " + n + "; they must agree.");
            }
        } else {
            switch (config.betaSchedule()) {
                case "linear" -> betas = torchLinspace(config.betaStart(), config.betaEnd(), n);
                case "scaled_linear" -> {
                    betas = torchLinspace(Math.pow(config.betaStart(), 0.5), Math.pow(config.betaEnd(), 0.5), n);
                    for (int i = 0; i < n; i++) {
                        betas[i] = betas[i] * betas[i];
                    }
                }
                case "squaredcos_cap_v2" -> betas = betasForAlphaBar(n);
                default -> throw new IllegalStateException(config.betaSchedule());
            }
        }
        if (config.rescaleBetasZeroSnr()) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        return betas;
    }

    /** Glide's cosine schedule, computed in double and stored as float32 (diffusers' betas_for_alpha_bar). */
    private static float[] betasForAlphaBar(int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = i / (double) n;
            double t2 = (i + 1) / (double) n;
            betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Algorithm 1 of "Common Diffusion Noise Schedules and Sample Steps are Flawed", in float32 like diffusers. */
    private static float[] rescaleZeroTerminalSnr(float[] betas) {
        float[] sqrtBar = alphasCumprod(betas);
        for (int i = 0; i < sqrtBar.length; i++) {
            sqrtBar[i] = (float) Math.sqrt(sqrtBar[i]);
        }
        float first = sqrtBar[0];
        float last = sqrtBar[sqrtBar.length - 1];
        float scale = first / (first - last);
        float[] bar = new float[sqrtBar.length];
        for (int i = 0; i < bar.length; i++) {
            float v = (sqrtBar[i] - last) * scale;
            bar[i] = v * v;
        }
        float[] out = new float[betas.length];
        out[0] = 1f - bar[0];
        for (int i = 1; i < out.length; i++) {
            out[i] = 1f - bar[i] / bar[i - 1];
        }
        return out;
    }

    /** {@code torch.cumprod(1.0 - betas)} for float32: torch accumulates in double and stores each as float. */
    static float[] alphasCumprod(float[] betas) {
        float[] out = new float[betas.length];
        double acc = 1.0;
        for (int i = 0; i < betas.length; i++) {
            acc *= 1.0f - betas[i];
            out[i] = (float) acc;
        }
        return out;
    }

    /** {@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5} in float32. */
    static float[] trainingSigmas(float[] alphasCumprod) {
        float[] out = new float[alphasCumprod.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.sqrt((1f - alphasCumprod[i]) / alphasCumprod[i]);
        }
        return out;
    }

    /** {@code np.log} of a float32 array (float32 result). */
    static float[] logF32(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) Math.log(x[i]);
        }
        return out;
    }

    /** {@code np.interp(x, arange(len(fp)), fp)} in float64, numpy's branch order included. */
    static double[] interpOnIndex(double[] x, float[] fp) {
        int n = fp.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (v < 0) {
                out[i] = fp[0];
            } else if (v >= n - 1) {
                out[i] = fp[n - 1];
            } else {
                int j = (int) Math.floor(v);
                if (j == v) {
                    out[i] = fp[j];
                } else {
                    double slope = (double) fp[j + 1] - fp[j];
                    out[i] = slope * (v - j) + fp[j];
                }
            }
        }
        return out;
    }

    /**
     * diffusers' {@code _sigma_to_t}: the fractional training timestep whose log-sigma matches, by linear
     * interpolation in log-sigma. logSigmas is float32, so {@code low - high} is a float32 difference.
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int lowIdx = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                lowIdx = i;
            }
        }
        lowIdx = Math.min(lowIdx, logSigmas.length - 2);
        int highIdx = lowIdx + 1;
        float low = logSigmas[lowIdx];
        float high = logSigmas[highIdx];
        double w = (low - logSigma) / (double) (low - high);
        w = Math.min(Math.max(w, 0), 1);
        return (1 - w) * lowIdx + w * highIdx;
    }

    /** Karras et al. (2022) rho=7 spacing between sigmaMax and sigmaMin, in float64. */
    static double[] karrasSigmas(double sigmaMin, double sigmaMax, int steps) {
        double rho = 7.0;
        double[] ramp = numpyLinspace(0, 1, steps, true);
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /**
     * The model's estimate of x0 from x_t = alpha_t x0 + sigma_t eps for each prediction_type (float32), as in
     * DDIM's step, LCM's step and DPM-Solver++'s convert_model_output.
     */
    static float[] predictOriginalSample(String predictionType, float[] modelOutput, float[] sample, float alphaT,
            float sigmaT) {
        int n = sample.length;
        float[] out = new float[n];
        switch (predictionType) {
            case "epsilon" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (sample[i] - sigmaT * modelOutput[i]) / alphaT;
                }
            }
            case "sample" -> System.arraycopy(modelOutput, 0, out, 0, n);
            case "v_prediction" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = alphaT * sample[i] - sigmaT * modelOutput[i];
                }
            }
            default -> throw new IllegalStateException(predictionType);
        }
        return out;
    }

    /** DDIM's and LCM's treatment of the predicted x0: dynamic thresholding if configured, else clip_sample. */
    static float[] thresholdOrClip(float[] predOriginal, SchedulerConfig config, int batch) {
        if (config.thresholding()) {
            return threshold(predOriginal, batch, config.dynamicThresholdingRatio(), config.sampleMaxValue());
        }
        if (config.clipSample()) {
            float range = (float) config.clipSampleRange();
            for (int i = 0; i < predOriginal.length; i++) {
                predOriginal[i] = Math.min(Math.max(predOriginal[i], -range), range);
            }
        }
        return predOriginal;
    }

    /** diffusers' {@code _sigma_to_t} for each sigma, rounded to whole timesteps when round is set. */
    static double[] sigmasToTimesteps(double[] sigmas, float[] logSigmas, boolean round) {
        double[] t = new double[sigmas.length];
        for (int i = 0; i < sigmas.length; i++) {
            double v = sigmaToT(sigmas[i], logSigmas);
            t[i] = round ? Math.rint(v) : v;
        }
        return t;
    }

    /** The float64 step sigmas cast to float32, followed by the final sigma (length = steps + 1). */
    static float[] withFinalSigma(double[] stepSigmas, float finalSigma) {
        float[] out = new float[stepSigmas.length + 1];
        for (int i = 0; i < stepSigmas.length; i++) {
            out[i] = (float) stepSigmas[i];
        }
        out[stepSigmas.length] = finalSigma;
        return out;
    }

    // The sigma-parameterised (x = x0 + sigma * eps) Euler schedulers share these three.

    /**
     * init_noise_sigma of the Euler schedulers: the largest sigma for linspace and trailing spacing, else
     * sqrt(sigma_max^2 + 1), as diffusers defines it.
     */
    static double eulerInitNoiseSigma(float[] sigmas, String timestepSpacing) {
        float max = 0f;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        if (timestepSpacing.equals("linspace") || timestepSpacing.equals("trailing")) {
            return max;
        }
        return (float) Math.sqrt(max * max + 1f);
    }

    /** scale_model_input of the Euler schedulers: x / sqrt(sigma^2 + 1), in place. */
    static void eulerScaleModelInput(float[] sample, float sigma) {
        float denom = (float) Math.sqrt(sigma * sigma + 1f);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = sample[i] / denom;
        }
    }

    /** add_noise of the Euler schedulers: x0 + noise * sigma. */
    static float[] eulerAddNoise(float[] original, float[] noise, float sigma) {
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = original[i] + noise[i] * sigma;
        }
        return out;
    }

    /**
     * Imagen's dynamic thresholding (diffusers' {@code _threshold_sample}), per image of a flat batch: s is the
     * ratio-quantile of |x| clamped to [1, sampleMaxValue]; x is clamped to [-s, s] and divided by s.
     */
    static float[] threshold(float[] sample, int batch, double ratio, double sampleMaxValue) {
        if (batch < 1 || sample.length % batch != 0) {
            throw new IllegalArgumentException("sample of " + sample.length + " values cannot be " + batch
                    + " images");
        }
        int per = sample.length / batch;
        float[] out = new float[sample.length];
        float[] row = new float[per];
        for (int b = 0; b < batch; b++) {
            int off = b * per;
            for (int i = 0; i < per; i++) {
                row[i] = Math.abs(sample[off + i]);
            }
            Arrays.sort(row);
            float s = quantileSorted(row, (float) ratio);
            s = Math.min(Math.max(s, 1f), (float) sampleMaxValue);
            for (int i = 0; i < per; i++) {
                out[off + i] = Math.min(Math.max(sample[off + i], -s), s) / s;
            }
        }
        return out;
    }

    /** torch.quantile's linear interpolation on a sorted float32 row. */
    private static float quantileSorted(float[] sorted, float q) {
        int lastIndex = sorted.length - 1;
        float rank = q * (float) lastIndex;
        int below = (int) rank;
        int above = (int) Math.ceil(rank);
        float weight = rank - (float) below;
        float lo = sorted[below];
        float hi = sorted[above];
        return Math.abs(weight) < 0.5f ? lo + weight * (hi - lo) : hi - (hi - lo) * (1f - weight);
    }

    /** {@code np.arange(start, stop, step)} for floats: ceil((stop - start) / step) values start + i * delta. */
    static double[] numpyArange(double start, double stop, double step) {
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
        double delta = (start + step) - start;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = start + i * delta;
        }
        return out;
    }

    /**
     * Integer timesteps for linspace/leading/trailing spacing, as DDIM and the discrete Euler schedulers
     * compute them (Table 2 of "Common Diffusion Noise Schedules and Sample Steps are Flawed"), before any
     * dtype cast: values are whole numbers except for linspace, which callers round or keep.
     */
    static double[] spacedTimesteps(String spacing, int numTrain, int steps, int stepsOffset, boolean roundLinspace) {
        double[] t;
        switch (spacing) {
            case "linspace" -> {
                double[] lin = numpyLinspace(0, numTrain - 1, steps, true);
                t = new double[steps];
                for (int i = 0; i < steps; i++) {
                    double v = lin[steps - 1 - i];
                    t[i] = roundLinspace ? Math.rint(v) : v;
                }
            }
            case "leading" -> {
                int ratio = numTrain / steps;
                t = new double[steps];
                for (int i = 0; i < steps; i++) {
                    t[i] = (double) (steps - 1 - i) * ratio + stepsOffset;
                }
            }
            case "trailing" -> {
                double[] ar = numpyArange(numTrain, 0, -(double) numTrain / steps);
                t = new double[ar.length];
                for (int i = 0; i < ar.length; i++) {
                    t[i] = Math.rint(ar[i]) - 1;
                }
            }
            default -> throw new IllegalStateException(spacing);
        }
        return t;
    }

    static void checkSteps(int numInferenceSteps, int numTrain, String scheduler) {
        if (numInferenceSteps < 1) {
            throw PigmentException.badRequest("The number of steps must be at least 1, got " + numInferenceSteps + ".");
        }
        if (numInferenceSteps > numTrain) {
            throw PigmentException.badRequest("The number of steps (" + numInferenceSteps + ") cannot exceed the "
                    + numTrain + " training timesteps of this model's " + scheduler + " schedule.");
        }
    }

    /**
     * Checks step()'s arguments: a step index with a next sigma/timestep after it and same-length arrays.
     * scheduler names the scheduler in the message.
     */
    static void checkStep(float[] modelOutput, float[] sample, int stepIndex, int steps, String scheduler) {
        checkIndex(stepIndex, steps, false);
        checkSameLength(modelOutput, sample, scheduler + " step");
    }

    /**
     * Checks addNoise's arguments; true when stepIndex == steps, the fully denoised end, where addNoise
     * returns the original unchanged.
     */
    static boolean noNoiseLeft(float[] original, float[] noise, int stepIndex, int steps, String scheduler) {
        checkIndex(stepIndex, steps, true);
        checkSameLength(original, noise, scheduler + " addNoise");
        return stepIndex == steps;
    }

    /** Validates setBatchSize's argument (images in the flat arrays) and returns it. */
    static int checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return batchSize;
    }

    static void checkIndex(int stepIndex, int steps, boolean allowEnd) {
        if (steps == 0) {
            throw new IllegalStateException("setTimesteps must be called before stepping");
        }
        int max = allowEnd ? steps : steps - 1;
        if (stepIndex < 0 || stepIndex > max) {
            throw new IllegalArgumentException("step index " + stepIndex + " outside 0.." + max);
        }
    }

    static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    static double[] toDouble(long[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    static float[] toFloat(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    static void checkSameLength(float[] a, float[] b, String what) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(what + ": arrays differ in length (" + a.length + " vs " + b.length
                    + ")");
        }
    }
}
