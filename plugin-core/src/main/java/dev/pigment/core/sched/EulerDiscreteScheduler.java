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
    private final float[] betas;
    private final float[] alphasCumprod;
    private final String predictionType;
    private final boolean karras;
    private float[] sigmas = new float[0];
    private float[] timesteps = new float[0];

    public EulerDiscreteScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.EULER);
        this.betas = ScheduleMath.betas(this.config);
        this.alphasCumprod = ScheduleMath.alphasCumprod(this.config);
        this.predictionType = this.config.predictionType();
        this.karras = this.config.useKarrasSigmas();
        if ("continuous".equals(this.config.timestepType()) && "v_prediction".equals(predictionType)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: timestep_type "
                    + "\"continuous\" with v_prediction (EDM-style Euler) is not supported; use \"discrete\".");
        }
        // validate the remaining choices now rather than on the first generation
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

    public float[] betas() {
        return betas.clone();
    }

    public float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** The step sigmas plus the final one (length = steps + 1). */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int numTrain = config.numTrainTimesteps();
        ScheduleMath.checkSteps(numInferenceSteps, numTrain, "Euler");
        double[] t = ScheduleMath.spacedTimesteps(config.timestepSpacing(), numTrain, numInferenceSteps,
                config.stepsOffset(), false);
        // diffusers casts these to float32 before interpolating
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) t[i];
        }
        float[] trainSigmas = ScheduleMath.trainingSigmas(alphasCumprod);
        float[] logSigmas = ScheduleMath.logF32(trainSigmas);
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
            t = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                t[i] = ScheduleMath.sigmaToT(s[i], logSigmas);
            }
        }
        double last = "sigma_min".equals(config.finalSigmasType()) ? trainSigmas[0] : 0.0;
        float[] out = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) s[i];
        }
        out[s.length] = (float) last;
        sigmas = out;
        timesteps = ScheduleMath.toFloat(t);
    }

    @Override
    public double[] timesteps() {
        return ScheduleMath.toDouble(timesteps);
    }

    @Override
    public double initNoiseSigma() {
        float max = 0f;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        String spacing = config.timestepSpacing();
        if (spacing.equals("linspace") || spacing.equals("trailing")) {
            return max;
        }
        return (float) Math.sqrt(max * max + 1f);
    }

    @Override
    public void scaleModelInput(float[] sample, int stepIndex) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, false);
        float sigma = sigmas[stepIndex];
        float denom = (float) Math.sqrt(sigma * sigma + 1f);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = sample[i] / denom;
        }
    }

    @Override
    public float[] step(float[] modelOutput, int stepIndex, float[] sample, TorchGenerator generator) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, false);
        ScheduleMath.checkSameLength(modelOutput, sample, "Euler step");
        float sigma = sigmas[stepIndex];
        float sigmaHat = sigma; // s_churn = 0: gamma = 0, sigma_hat = sigma * (gamma + 1)
        float dt = sigmas[stepIndex + 1] - sigmaHat;
        float[] prev = new float[sample.length];
        switch (predictionType) {
            case "epsilon" -> {
                for (int i = 0; i < prev.length; i++) {
                    float x = sample[i];
                    float predOriginal = x - sigmaHat * modelOutput[i];
                    float derivative = (x - predOriginal) / sigmaHat;
                    prev[i] = x + derivative * dt;
                }
            }
            case "v_prediction" -> {
                float denomSq = sigma * sigma + 1f;
                float cOut = -sigma / (float) Math.sqrt(denomSq);
                for (int i = 0; i < prev.length; i++) {
                    float x = sample[i];
                    float predOriginal = modelOutput[i] * cOut + x / denomSq;
                    float derivative = (x - predOriginal) / sigmaHat;
                    prev[i] = x + derivative * dt;
                }
            }
            default -> { // "sample": the model predicts x0 directly
                for (int i = 0; i < prev.length; i++) {
                    float x = sample[i];
                    float derivative = (x - modelOutput[i]) / sigmaHat;
                    prev[i] = x + derivative * dt;
                }
            }
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, true);
        ScheduleMath.checkSameLength(original, noise, "Euler addNoise");
        if (stepIndex == timesteps.length) {
            return original.clone();
        }
        float sigma = sigmas[stepIndex];
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = original[i] + noise[i] * sigma;
        }
        return out;
    }
}
