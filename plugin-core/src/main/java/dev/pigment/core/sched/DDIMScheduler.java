package dev.pigment.core.sched;

import java.util.Objects;

/**
 * Port of diffusers' {@code DDIMScheduler} (Song et al. 2020, eq. 12 and 16): deterministic for eta = 0,
 * with generator noise of size eta * sigma_t for eta &gt; 0. Float32 arithmetic as in diffusers.
 */
public final class DDIMScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final float[] betas;
    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;
    private final String predictionType;
    private final double eta;
    private int batchSize = 1;
    private int numInferenceSteps;
    private long[] timesteps = new long[0];

    public DDIMScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.DDIM);
        this.betas = ScheduleMath.betas(this.config);
        this.alphasCumprod = ScheduleMath.alphasCumprod(this.config);
        this.finalAlphaCumprod = this.config.setAlphaToOne() ? 1.0f : alphasCumprod[0];
        this.predictionType = this.config.predictionType();
        this.eta = this.config.eta();
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

    public float[] betas() {
        return betas.clone();
    }

    public float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    public float finalAlphaCumprod() {
        return finalAlphaCumprod;
    }

    /** Images in the flat arrays; dynamic thresholding works per image. Default 1. */
    public void setBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
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
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = timesteps[i];
        }
        return out;
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
        float alphaProdT = alphasCumprod[timestep];
        float alphaProdTPrev = prevTimestep >= 0 ? alphasCumprod[prevTimestep] : finalAlphaCumprod;
        float betaProdT = 1f - alphaProdT;
        float betaProdTPrev = 1f - alphaProdTPrev;
        return (betaProdTPrev / betaProdT) * (1f - alphaProdT / alphaProdTPrev);
    }

    @Override
    public float[] step(float[] modelOutput, int stepIndex, float[] sample, TorchGenerator generator) {
        ScheduleMath.checkIndex(stepIndex, timesteps.length, false);
        ScheduleMath.checkSameLength(modelOutput, sample, "DDIM step");
        int timestep = (int) timesteps[stepIndex];
        // diffusers steps back by num_train // steps, not to the next listed timestep
        int prevTimestep = timestep - config.numTrainTimesteps() / numInferenceSteps;
        float alphaProdT = alphasCumprod[timestep];
        float alphaProdTPrev = prevTimestep >= 0 ? alphasCumprod[prevTimestep] : finalAlphaCumprod;
        float betaProdT = 1f - alphaProdT;
        float sqrtAlpha = (float) Math.sqrt(alphaProdT);
        float sqrtBeta = (float) Math.sqrt(betaProdT);
        int n = sample.length;
        float[] predOriginal = new float[n];
        float[] predEpsilon = new float[n];
        switch (predictionType) {
            case "epsilon" -> {
                for (int i = 0; i < n; i++) {
                    predOriginal[i] = (sample[i] - sqrtBeta * modelOutput[i]) / sqrtAlpha;
                    predEpsilon[i] = modelOutput[i];
                }
            }
            case "sample" -> {
                for (int i = 0; i < n; i++) {
                    predOriginal[i] = modelOutput[i];
                    predEpsilon[i] = (sample[i] - sqrtAlpha * predOriginal[i]) / sqrtBeta;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    predOriginal[i] = sqrtAlpha * sample[i] - sqrtBeta * modelOutput[i];
                    predEpsilon[i] = sqrtAlpha * modelOutput[i] + sqrtBeta * sample[i];
                }
            }
        }
        if (config.thresholding()) {
            predOriginal = ScheduleMath.threshold(predOriginal, batchSize, config.dynamicThresholdingRatio(),
                    config.sampleMaxValue());
        } else if (config.clipSample()) {
            float range = (float) config.clipSampleRange();
            for (int i = 0; i < n; i++) {
                predOriginal[i] = Math.min(Math.max(predOriginal[i], -range), range);
            }
        }
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
        ScheduleMath.checkIndex(stepIndex, timesteps.length, true);
        ScheduleMath.checkSameLength(original, noise, "DDIM addNoise");
        if (stepIndex == timesteps.length) {
            return original.clone();
        }
        return addNoiseAtTimestep(alphasCumprod, original, noise, (int) timesteps[stepIndex]);
    }

    /** DDPM's forward process q(x_t | x_0) at one training timestep, in float32. */
    static float[] addNoiseAtTimestep(float[] alphasCumprod, float[] original, float[] noise, int timestep) {
        float a = alphasCumprod[timestep];
        float sqrtAlphaProd = (float) Math.sqrt(a);
        float sqrtOneMinusAlphaProd = (float) Math.sqrt(1f - a);
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sqrtAlphaProd * original[i] + sqrtOneMinusAlphaProd * noise[i];
        }
        return out;
    }
}
