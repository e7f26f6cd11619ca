package dev.pigment.core.sched;

import java.util.Objects;

/**
 * Port of diffusers' {@code DDIMScheduler} (Song et al. 2020, eq. 12 and 16): deterministic for eta = 0,
 * with generator noise of size eta * sigma_t for eta &gt; 0. Float32 arithmetic as in diffusers.
 */
public final class DDIMScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final float finalAlphaCumprod;
    private final String predictionType;
    private final double eta;
    private int batchSize = 1;
    private int numInferenceSteps;
    private long[] timesteps = new long[0];

    public DDIMScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.DDIM);
        this.schedule = NoiseSchedule.of(this.config);
        this.finalAlphaCumprod = this.config.setAlphaToOne() ? 1.0f : schedule.alphaCumprod(0);
        this.predictionType = this.config.predictionType();
        this.eta = this.config.eta();
        // Read the remaining keys now, so a bad value fails when the model loads, not mid-generation.
        this.config.timestepSpacing();
        this.config.clipSample();
        this.config.thresholding();
    }

    @Override
    public String id() {
        return "ddim";
    }

    @Override
    public String displayName() {
        return "DDIM";
    }

    public SchedulerConfig config() {
        return config;
    }

    public float[] alphasCumprod() {
        return schedule.alphasCumprod();
    }

    public float finalAlphaCumprod() {
        return finalAlphaCumprod;
    }

    /** Images in the flat arrays; dynamic thresholding works per image. Default 1. */
    public void setBatchSize(int batchSize) {
        this.batchSize = ScheduleMath.checkBatchSize(batchSize);
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int numTrain = config.numTrainTimesteps();
        ScheduleMath.checkSteps(numInferenceSteps, numTrain, "DDIM");
        double[] t = ScheduleMath.spacedTimesteps(config.timestepSpacing(), numTrain, numInferenceSteps,
                config.stepsOffset(), true);
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = (long) t[i];
        }
        this.numInferenceSteps = numInferenceSteps;
        this.timesteps = out;
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

    /** diffusers' {@code _get_variance}: sigma_t^2 / eta^2 between two training timesteps (prev &lt; 0 = final). */
    public float variance(int timestep, int prevTimestep) {
        float alphaProdT = schedule.alphaCumprod(timestep);
        float alphaProdTPrev = alphaCumprodPrev(prevTimestep);
        float betaProdT = 1f - alphaProdT;
        float betaProdTPrev = 1f - alphaProdTPrev;
        return (betaProdTPrev / betaProdT) * (1f - alphaProdT / alphaProdTPrev);
    }

    /** alpha_cumprod at the previous timestep; before timestep 0 it is final_alpha_cumprod. */
    private float alphaCumprodPrev(int prevTimestep) {
        return prevTimestep >= 0 ? schedule.alphaCumprod(prevTimestep) : finalAlphaCumprod;
    }

    @Override
    public float[] step(float[] modelOutput, int stepIndex, float[] sample, TorchGenerator generator) {
        ScheduleMath.checkStep(modelOutput, sample, stepIndex, timesteps.length, "DDIM");
        int timestep = (int) timesteps[stepIndex];
        // diffusers steps back by num_train // steps, not to the next listed timestep
        int prevTimestep = timestep - config.numTrainTimesteps() / numInferenceSteps;
        float alphaProdT = schedule.alphaCumprod(timestep);
        float alphaProdTPrev = alphaCumprodPrev(prevTimestep);
        float betaProdT = 1f - alphaProdT;
        float sqrtAlpha = (float) Math.sqrt(alphaProdT);
        float sqrtBeta = (float) Math.sqrt(betaProdT);
        int n = sample.length;
        // eq. 12's x0 and epsilon predictions; epsilon comes from the x0 before clipping, as in diffusers
        float[] predOriginal = ScheduleMath.predictOriginalSample(predictionType, modelOutput, sample, sqrtAlpha,
                sqrtBeta);
        float[] predEpsilon = new float[n];
        switch (predictionType) {
            case "epsilon" -> System.arraycopy(modelOutput, 0, predEpsilon, 0, n);
            case "sample" -> {
                for (int i = 0; i < n; i++) {
                    predEpsilon[i] = (sample[i] - sqrtAlpha * predOriginal[i]) / sqrtBeta;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    predEpsilon[i] = sqrtAlpha * modelOutput[i] + sqrtBeta * sample[i];
                }
            }
        }
        predOriginal = ScheduleMath.thresholdOrClip(predOriginal, config, batchSize);
        float variance = variance(timestep, prevTimestep);
        float stdDevT = (float) eta * (float) Math.sqrt(variance);
        float directionCoeff = (float) Math.sqrt(1f - alphaProdTPrev - stdDevT * stdDevT);
        float sqrtAlphaPrev = (float) Math.sqrt(alphaProdTPrev);
        float[] prev = new float[n];
        for (int i = 0; i < n; i++) {
            prev[i] = sqrtAlphaPrev * predOriginal[i] + directionCoeff * predEpsilon[i];
        }
        if (eta > 0) {
            Objects.requireNonNull(generator, "DDIM with eta > 0 needs a generator for its noise");
            float[] noise = generator.randn(n);
            for (int i = 0; i < n; i++) {
                prev[i] = prev[i] + stdDevT * noise[i];
            }
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        if (ScheduleMath.noNoiseLeft(original, noise, stepIndex, timesteps.length, "DDIM")) {
            return original.clone();
        }
        return schedule.addNoise(original, noise, (int) timesteps[stepIndex]);
    }
}
