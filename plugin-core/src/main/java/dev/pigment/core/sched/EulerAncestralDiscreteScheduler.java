package dev.pigment.core.sched;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.util.Objects;

/**
 * Port of diffusers' {@code EulerAncestralDiscreteScheduler} ("Euler a"): an Euler step down to sigma_down,
 * then fresh noise of size sigma_up drawn from the generator on every step, exactly as diffusers draws it.
 */
public final class EulerAncestralDiscreteScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final float[] betas;
    private final float[] alphasCumprod;
    private final String predictionType;
    private float[] sigmas = new float[0];
    private float[] timesteps = new float[0];

    public EulerAncestralDiscreteScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.EULER_ANCESTRAL);
        this.betas = ScheduleMath.betas(this.config);
        this.alphasCumprod = ScheduleMath.alphasCumprod(this.config);
        this.predictionType = this.config.predictionType();
        if ("sample".equals(predictionType)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: prediction_type "
                    + "\"sample\" is not supported by Euler ancestral (diffusers does not implement it either); "
                    + "choose another scheduler.");
        }
        this.config.timestepSpacing();
    }

    @Override
    public String id() {
        return "euler-a";
    }

    @Override
    public String displayName() {
        return "Euler a";
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

    /** The step sigmas plus the final 0 (length = steps + 1). */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int numTrain = config.numTrainTimesteps();
        ScheduleMath.checkSteps(numInferenceSteps, numTrain, "Euler ancestral");
        double[] t = ScheduleMath.spacedTimesteps(config.timestepSpacing(), numTrain, numInferenceSteps,
                config.stepsOffset(), false);
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) t[i];
        }
        double[] s = ScheduleMath.interpOnIndex(t, ScheduleMath.trainingSigmas(alphasCumprod));
        float[] out = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) s[i];
        }
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
        ScheduleMath.checkSameLength(modelOutput, sample, "Euler ancestral step");
        Objects.requireNonNull(generator, "Euler ancestral needs a generator for its per-step noise");
        float sigma = sigmas[stepIndex];
        float sigmaFrom = sigmas[stepIndex];
        float sigmaTo = sigmas[stepIndex + 1];
        float fromSq = sigmaFrom * sigmaFrom;
        float toSq = sigmaTo * sigmaTo;
        float sigmaUp = (float) Math.sqrt(toSq * (fromSq - toSq) / fromSq);
        float sigmaDown = (float) Math.sqrt(toSq - sigmaUp * sigmaUp);
        float dt = sigmaDown - sigma;
        float[] prev = new float[sample.length];
        if ("epsilon".equals(predictionType)) {
            for (int i = 0; i < prev.length; i++) {
                float x = sample[i];
                float predOriginal = x - sigma * modelOutput[i];
                float derivative = (x - predOriginal) / sigma;
                prev[i] = x + derivative * dt;
            }
        } else {
            float denomSq = sigma * sigma + 1f;
            float cOut = -sigma / (float) Math.sqrt(denomSq);
            for (int i = 0; i < prev.length; i++) {
                float x = sample[i];
                float predOriginal = modelOutput[i] * cOut + x / denomSq;
                float derivative = (x - predOriginal) / sigma;
                prev[i] = x + derivative * dt;
            }
        }
        float[] noise = generator.randn(prev.length);
        for (int i = 0; i < prev.length; i++) {
            prev[i] = prev[i] + noise[i] * sigmaUp;
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, true);
        ScheduleMath.checkSameLength(original, noise, "Euler ancestral addNoise");
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
