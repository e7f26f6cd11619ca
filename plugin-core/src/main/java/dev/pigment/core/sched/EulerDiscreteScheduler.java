package dev.pigment.core.sched;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.util.Objects;

/**
 * Port of diffusers' {@code EulerDiscreteScheduler}: Karras et al. (2022) Algorithm 2 without churn, on the
 * sigmas of a discrete DDPM schedule, optionally Karras-spaced. Float32 arithmetic where diffusers uses
 * torch, float64 where it uses numpy (schedule construction).
 */
public final class EulerDiscreteScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final String predictionType;
    private final boolean karras;
    private float[] sigmas = new float[0];
    private float[] timesteps = new float[0];

    public EulerDiscreteScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.EULER);
        this.schedule = NoiseSchedule.of(this.config);
        this.predictionType = this.config.predictionType();
        this.karras = this.config.useKarrasSigmas();
        if ("continuous".equals(this.config.timestepType()) && "v_prediction".equals(predictionType)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: timestep_type "
                    + "\"continuous\" with v_prediction (EDM-style Euler) is not supported; use \"discrete\".");
        }
        // validate the remaining choices now rather than on the first generation
        // Read the remaining keys now, so a bad value fails when the model loads, not mid-generation.
        this.config.interpolationType();
        this.config.finalSigmasType();
        this.config.timestepSpacing();
    }

    @Override
    public String id() {
        return "euler";
    }

    @Override
    public String displayName() {
        return karras ? "Euler Karras" : "Euler";
    }

    public SchedulerConfig config() {
        return config;
    }

    /** The step sigmas plus the final one (length = steps + 1). */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        ScheduleMath.checkSteps(numInferenceSteps, config.numTrainTimesteps(), "Euler");
        double[] t = floatTimesteps(config, numInferenceSteps);
        float[] trainSigmas = schedule.trainingSigmas();
        double[] s;
        if ("linear".equals(config.interpolationType())) {
            s = ScheduleMath.interpOnIndex(t, trainSigmas);
        } else {
            float[] logLinear = ScheduleMath.torchLinspace(Math.log(trainSigmas[trainSigmas.length - 1]),
                    Math.log(trainSigmas[0]), numInferenceSteps + 1);
            s = new double[logLinear.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) Math.exp(logLinear[i]);
            }
        }
        if (karras) {
            double sigmaMin = config.sigmaMin().orElse(s[s.length - 1]);
            double sigmaMax = config.sigmaMax().orElse(s[0]);
            s = ScheduleMath.karrasSigmas(sigmaMin, sigmaMax, numInferenceSteps);
            t = ScheduleMath.sigmasToTimesteps(s, ScheduleMath.logF32(trainSigmas), false);
        }
        float last = "sigma_min".equals(config.finalSigmasType()) ? schedule.sigmaMin() : 0f;
        sigmas = ScheduleMath.withFinalSigma(s, last);
        timesteps = ScheduleMath.toFloat(t);
    }

    /** The spaced timesteps cast to float32, which diffusers does before interpolating sigmas at them. */
    static double[] floatTimesteps(SchedulerConfig config, int numInferenceSteps) {
        double[] t = ScheduleMath.spacedTimesteps(config.timestepSpacing(), config.numTrainTimesteps(),
                numInferenceSteps, config.stepsOffset(), false);
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) t[i];
        }
        return t;
    }

    @Override
    public double[] timesteps() {
        return ScheduleMath.toDouble(timesteps);
    }

    @Override
    public double initNoiseSigma() {
        return ScheduleMath.eulerInitNoiseSigma(sigmas, config.timestepSpacing());
    }

    @Override
    public void scaleModelInput(float[] sample, int stepIndex) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, false);
        ScheduleMath.eulerScaleModelInput(sample, sigmas[stepIndex]);
    }

    @Override
    public float[] step(float[] modelOutput, int stepIndex, float[] sample, TorchGenerator generator) {
        ScheduleMath.checkStep(modelOutput, sample, stepIndex, timesteps.length, "Euler");
        // s_churn = 0: gamma = 0, sigma_hat = sigma * (gamma + 1) = sigma
        return eulerStep(predictionType, modelOutput, sample, sigmas[stepIndex], sigmas[stepIndex + 1]);
    }

    /**
     * The Euler step of Karras et al. Algorithm 2 from sigma to sigmaNext: the denoised estimate for the
     * prediction type, the derivative d = (x - denoised) / sigma and x + d * (sigmaNext - sigma), in float32.
     * Euler ancestral takes the same step down to its sigma_down.
     */
    static float[] eulerStep(String predictionType, float[] modelOutput, float[] sample, float sigma,
            float sigmaNext) {
        float dt = sigmaNext - sigma;
        float[] prev = new float[sample.length];
        switch (predictionType) {
            case "epsilon" -> {
                for (int i = 0; i < prev.length; i++) {
                    float x = sample[i];
                    float predOriginal = x - sigma * modelOutput[i];
                    float derivative = (x - predOriginal) / sigma;
                    prev[i] = x + derivative * dt;
                }
            }
            case "v_prediction" -> {
                float denomSq = sigma * sigma + 1f;
                float cOut = -sigma / (float) Math.sqrt(denomSq);
                for (int i = 0; i < prev.length; i++) {
                    float x = sample[i];
                    float predOriginal = modelOutput[i] * cOut + x / denomSq;
                    float derivative = (x - predOriginal) / sigma;
                    prev[i] = x + derivative * dt;
                }
            }
            default -> { // "sample": the model predicts x0 directly
                for (int i = 0; i < prev.length; i++) {
                    float x = sample[i];
                    float derivative = (x - modelOutput[i]) / sigma;
                    prev[i] = x + derivative * dt;
                }
            }
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        if (ScheduleMath.noNoiseLeft(original, noise, stepIndex, timesteps.length, "Euler")) {
            return original.clone();
        }
        return ScheduleMath.eulerAddNoise(original, noise, sigmas[stepIndex]);
    }
}
