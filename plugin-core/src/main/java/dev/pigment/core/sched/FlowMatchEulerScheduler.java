package dev.pigment.core.sched;

import dev.pigment.core.api.PigmentException;
import java.util.Objects;

/**
 * Port of diffusers' {@code FlowMatchEulerDiscreteScheduler} for rectified-flow models (SD3, Flux, Z-Image):
 * sigmas run from 1 (noise) to 0 (image), x += (sigma_next - sigma) * velocity. Static shift
 * {@code shift*s / (1 + (shift-1)*s)} or, with use_dynamic_shifting, the exponential time shift by mu. The
 * denoiser's timestep is sigma * num_train_timesteps, as diffusers feeds it.
 */
public final class FlowMatchEulerScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final double shift;
    private final float sigmaMin;
    private final float sigmaMax;
    private Double mu;
    private float[] sigmas = new float[0];
    private float[] timesteps = new float[0];

    public FlowMatchEulerScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.FLOW_MATCH_EULER);
        this.shift = this.config.shift();
        int n = this.config.numTrainTimesteps();
        // the training sigmas: linspace(1, N, N)[::-1] / N, shifted in float32 (torch)
        float first = (float) n / n;
        float last = 1f / n;
        if (!this.config.useDynamicShifting()) {
            first = shiftF32(first, (float) shift);
            last = shiftF32(last, (float) shift);
        }
        this.sigmaMax = first;
        this.sigmaMin = last;
    }

    private static float shiftF32(float s, float shift) {
        return shift * s / (1f + (shift - 1f) * s);
    }

    @Override
    public String id() {
        return "flow-match-euler";
    }

    @Override
    public String displayName() {
        return "Euler (flow matching)";
    }

    /**
     * The exponent of the resolution-dependent exponential shift, needed before {@link #setTimesteps} when the
     * config sets use_dynamic_shifting (see {@link #calculateShift}).
     */
    public void setMu(double mu) {
        this.mu = mu;
    }

    /** diffusers' calculate_shift: mu grows linearly with the image token count between the configured bounds. */
    public double calculateShift(int imageSeqLen) {
        double m = (config.maxShift() - config.baseShift()) / (config.maxImageSeqLen() - config.baseImageSeqLen());
        double b = config.baseShift() - m * config.baseImageSeqLen();
        return imageSeqLen * m + b;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        ScheduleMath.checkSteps(numInferenceSteps, Integer.MAX_VALUE, "flow matching");
        int n = config.numTrainTimesteps();
        double[] t = ScheduleMath.numpyLinspace(sigmaMax * (double) n, sigmaMin * (double) n, numInferenceSteps,
                true);
        double[] s = new double[numInferenceSteps];
        for (int i = 0; i < s.length; i++) {
            s[i] = t[i] / n;
        }
        if (config.useDynamicShifting()) {
            s = timeShift(s);
        } else {
            for (int i = 0; i < s.length; i++) {
                s[i] = shift * s[i] / (1 + (shift - 1) * s[i]);
            }
        }
        install(ScheduleMath.toFloat(s));
    }

    /**
     * Custom sigmas (one per step, without the final 0), e.g. Z-Image's linspace(1, 1/N, N). They are shifted
     * like diffusers does with {@code set_timesteps(sigmas=...)}: cast to float32, then the static shift in
     * float32 (or the dynamic shift when configured).
     */
    @Override
    public void setSigmas(double[] customSigmas) {
        Objects.requireNonNull(customSigmas, "customSigmas");
        if (customSigmas.length == 0) {
            throw PigmentException.badRequest("At least one sigma is needed.");
        }
        float[] s = new float[customSigmas.length];
        for (int i = 0; i < s.length; i++) {
            double v = customSigmas[i];
            if (!(v > 0 && v <= 1)) {
                throw PigmentException.badRequest("Flow-matching sigmas must lie in (0, 1]; got " + v
                        + " at position " + i + ".");
            }
            s[i] = (float) v;
        }
        if (config.useDynamicShifting()) {
            double[] d = timeShift(ScheduleMath.toDouble(s));
            s = ScheduleMath.toFloat(d);
        } else {
            float shiftF = (float) shift;
            for (int i = 0; i < s.length; i++) {
                s[i] = shiftF32(s[i], shiftF);
            }
        }
        install(s);
    }

    /**
     * Z-Image's default sigmas, {@code torch.linspace(1.0, 1 / n, n)} in float32 (pipeline_z_image.py's
     * get_default_z_image_sigmas), for {@link #setSigmas}.
     */
    public static double[] zImageSigmas(int n) {
        ScheduleMath.checkSteps(n, Integer.MAX_VALUE, "flow matching");
        return ScheduleMath.toDouble(ScheduleMath.torchLinspace(1.0, 1.0 / n, n));
    }

    private double[] timeShift(double[] s) {
        if (mu == null) {
            throw new IllegalStateException("use_dynamic_shifting is set: call setMu (see calculateShift) first");
        }
        double e = Math.exp(mu);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = e / (e + (1 / s[i] - 1));
        }
        return out;
    }

    private void install(float[] stepSigmas) {
        int n = config.numTrainTimesteps();
        float[] ts = new float[stepSigmas.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = stepSigmas[i] * (float) n;
        }
        float[] all = new float[stepSigmas.length + 1];
        System.arraycopy(stepSigmas, 0, all, 0, stepSigmas.length);
        sigmas = all;
        timesteps = ts;
    }

    /** The step sigmas plus the final 0 (length = steps + 1); the DiT pipeline feeds 1 - sigma as its time. */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public double[] timesteps() {
        return ScheduleMath.toDouble(timesteps);
    }

    @Override
    public double initNoiseSigma() {
        return 1.0;
    }

    @Override
    public void scaleModelInput(float[] sample, int stepIndex) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, false);
    }

    @Override
    public float[] step(float[] modelOutput, int stepIndex, float[] sample, TorchGenerator generator) {
        ScheduleMath.checkStep(modelOutput, sample, stepIndex, timesteps.length, "flow-matching");
        float dt = sigmas[stepIndex + 1] - sigmas[stepIndex];
        float[] prev = new float[sample.length];
        for (int i = 0; i < prev.length; i++) {
            prev[i] = sample[i] + dt * modelOutput[i];
        }
        return prev;
    }

    /** diffusers' scale_noise: sigma * noise + (1 - sigma) * original. */
    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        if (ScheduleMath.noNoiseLeft(original, noise, stepIndex, timesteps.length, "flow-matching")) {
            return original.clone();
        }
        float sigma = sigmas[stepIndex];
        float keep = 1f - sigma;
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sigma * noise[i] + keep * original[i];
        }
        return out;
    }
}
