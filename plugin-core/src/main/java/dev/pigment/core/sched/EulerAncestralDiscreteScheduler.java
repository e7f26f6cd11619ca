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
    private final NoiseSchedule schedule;
    private final String predictionType;
    private float[] sigmas = new float[0];
    private float[] timesteps = new float[0];

    public EulerAncestralDiscreteScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.EULER_ANCESTRAL);
        this.schedule = NoiseSchedule.of(this.config);
        this.predictionType = this.config.predictionType();
        if ("sample".equals(predictionType)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: prediction_type "
                    + "\"sample\" is not supported by Euler ancestral (diffusers does not implement it either); "
                    + "choose another scheduler.");
        }
        // Read the remaining keys now, so a bad value fails when the model loads, not mid-generation.
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

    /** The step sigmas plus the final 0 (length = steps + 1). */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        ScheduleMath.checkSteps(numInferenceSteps, config.numTrainTimesteps(), "Euler ancestral");
        double[] t = EulerDiscreteScheduler.floatTimesteps(config, numInferenceSteps);
        double[] s = ScheduleMath.interpOnIndex(t, schedule.trainingSigmas());
        sigmas = ScheduleMath.withFinalSigma(s, 0f);
        timesteps = ScheduleMath.toFloat(t);
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
        ScheduleMath.checkStep(modelOutput, sample, stepIndex, timesteps.length, "Euler ancestral");
        Objects.requireNonNull(generator, "Euler ancestral needs a generator for its per-step noise");
        float sigmaFrom = sigmas[stepIndex];
        float sigmaTo = sigmas[stepIndex + 1];
        float fromSq = sigmaFrom * sigmaFrom;
        float toSq = sigmaTo * sigmaTo;
        float sigmaUp = (float) Math.sqrt(toSq * (fromSq - toSq) / fromSq);
        float sigmaDown = (float) Math.sqrt(toSq - sigmaUp * sigmaUp);
        // a deterministic Euler step down to sigma_down, then fresh noise back up to sigma_to
        float[] prev = EulerDiscreteScheduler.eulerStep(predictionType, modelOutput, sample, sigmaFrom, sigmaDown);
        float[] noise = generator.randn(prev.length);
        for (int i = 0; i < prev.length; i++) {
            prev[i] = prev[i] + noise[i] * sigmaUp;
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        if (ScheduleMath.noNoiseLeft(original, noise, stepIndex, timesteps.length, "Euler ancestral")) {
            return original.clone();
        }
        return ScheduleMath.eulerAddNoise(original, noise, sigmas[stepIndex]);
    }
}
