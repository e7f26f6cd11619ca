package dev.pigment.core.sched;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.util.Objects;

/**
 * Port of diffusers' {@code LCMScheduler} (Latent Consistency Models, Luo et al. 2023): timesteps picked from
 * the original_inference_steps-long distillation schedule; each step predicts x0, applies the consistency
 * boundary scalings (timestep_scaling), and, except on the last step, re-noises with generator noise.
 */
public final class LCMScheduler implements Scheduler {
    private static final float SIGMA_DATA = 0.5f;

    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final float finalAlphaCumprod;
    private final String predictionType;
    private int batchSize = 1;
    private long[] timesteps = new long[0];

    public LCMScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.LCM);
        this.schedule = NoiseSchedule.of(this.config);
        this.finalAlphaCumprod = this.config.setAlphaToOne() ? 1.0f : schedule.alphaCumprod(0);
        this.predictionType = this.config.predictionType();
        // Read the remaining keys now, so a bad value fails when the model loads, not mid-generation.
        this.config.clipSample();
        this.config.thresholding();
        this.config.timestepScaling();
    }

    @Override
    public String id() {
        return "lcm";
    }

    @Override
    public String displayName() {
        return "LCM";
    }

    /** Images in the flat arrays; dynamic thresholding works per image. Default 1. */
    public void setBatchSize(int batchSize) {
        this.batchSize = ScheduleMath.checkBatchSize(batchSize);
    }

    public SchedulerConfig config() {
        return config;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int numTrain = config.numTrainTimesteps();
        int originalSteps = config.originalInferenceSteps();
        ScheduleMath.checkSteps(numInferenceSteps, numTrain, "LCM");
        if (originalSteps > numTrain) {
            throw new PigmentException(ErrorCode.MODEL_INVALID,
                    "scheduler_config.json: original_inference_steps " + originalSteps + " exceeds "
                            + "num_train_timesteps " + numTrain + ".");
        }
        if (numInferenceSteps > originalSteps) {
            throw PigmentException.badRequest("LCM can take at most " + originalSteps
                    + " steps (its original_inference_steps); got " + numInferenceSteps + ".");
        }
        int k = numTrain / originalSteps;
        // the distillation schedule [k-1, 2k-1, ..., originalSteps*k - 1], read from the end
        long[] origin = new long[originalSteps];
        for (int i = 0; i < originalSteps; i++) {
            origin[i] = (long) (originalSteps - i) * k - 1;
        }
        double[] indices = ScheduleMath.numpyLinspace(0, originalSteps, numInferenceSteps, false);
        long[] t = new long[numInferenceSteps];
        for (int i = 0; i < numInferenceSteps; i++) {
            t[i] = origin[(int) Math.floor(indices[i])];
        }
        timesteps = t;
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
        int steps = timesteps.length;
        ScheduleMath.checkStep(modelOutput, sample, stepIndex, steps, "LCM");
        int timestep = (int) timesteps[stepIndex];
        int prevTimestep = stepIndex + 1 < steps ? (int) timesteps[stepIndex + 1] : timestep;
        float alphaProdT = schedule.alphaCumprod(timestep);
        float alphaProdTPrev = prevTimestep >= 0 ? schedule.alphaCumprod(prevTimestep) : finalAlphaCumprod;
        float betaProdT = 1f - alphaProdT;
        float betaProdTPrev = 1f - alphaProdTPrev;

        // consistency-model boundary condition scalings at the scaled timestep
        float scaled = (float) timestep * (float) config.timestepScaling();
        float cSkip = SIGMA_DATA * SIGMA_DATA / (scaled * scaled + SIGMA_DATA * SIGMA_DATA);
        float cOut = scaled / (float) Math.sqrt(scaled * scaled + SIGMA_DATA * SIGMA_DATA);

        float sqrtAlpha = (float) Math.sqrt(alphaProdT);
        float sqrtBeta = (float) Math.sqrt(betaProdT);
        int n = sample.length;
        float[] predOriginal = ScheduleMath.predictOriginalSample(predictionType, modelOutput, sample, sqrtAlpha,
                sqrtBeta);
        predOriginal = ScheduleMath.thresholdOrClip(predOriginal, config, batchSize);
        float[] denoised = new float[n];
        for (int i = 0; i < n; i++) {
            denoised[i] = cOut * predOriginal[i] + cSkip * sample[i];
        }
        if (stepIndex == steps - 1) {
            return denoised;
        }
        Objects.requireNonNull(generator, "LCM needs a generator for the noise between steps");
        float[] noise = generator.randn(n);
        float sqrtAlphaPrev = (float) Math.sqrt(alphaProdTPrev);
        float sqrtBetaPrev = (float) Math.sqrt(betaProdTPrev);
        float[] prev = new float[n];
        for (int i = 0; i < n; i++) {
            prev[i] = sqrtAlphaPrev * denoised[i] + sqrtBetaPrev * noise[i];
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        if (ScheduleMath.noNoiseLeft(original, noise, stepIndex, timesteps.length, "LCM")) {
            return original.clone();
        }
        return schedule.addNoise(original, noise, (int) timesteps[stepIndex]);
    }
}
