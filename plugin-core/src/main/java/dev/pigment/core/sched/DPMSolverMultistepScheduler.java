package dev.pigment.core.sched;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.util.Objects;

/**
 * Port of diffusers' {@code DPMSolverMultistepScheduler} (Lu et al. 2022, DPM-Solver++ with the multistep
 * second-order midpoint update by default: "DPM++ 2M"; with Karras sigmas "DPM++ 2M Karras"). Orders 1-3,
 * dpmsolver/dpmsolver++ and their SDE variants, midpoint/heun, Karras or Lu spacing, lower_order_final,
 * euler_at_final, final_sigmas_type and dynamic thresholding follow diffusers. The model-output history is
 * reset by {@link #setTimesteps} and whenever steps are not called consecutively (a late img2img start).
 */
public final class DPMSolverMultistepScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final float[] lambdaT;
    private final String algorithmType;
    private final String solverType;
    private final String predictionType;
    private final int solverOrder;
    private int batchSize = 1;
    private float[] sigmas = new float[0];
    private long[] timesteps = new long[0];
    private float[][] modelOutputs;
    private int lowerOrderNums;
    private int lastStepIndex = Integer.MIN_VALUE;

    public DPMSolverMultistepScheduler(SchedulerConfig config) {
        this(config, false);
    }

    /** @param forceKarras use Karras sigmas whatever the config says (the "dpm++2m-karras" id). */
    DPMSolverMultistepScheduler(SchedulerConfig config, boolean forceKarras) {
        SchedulerConfig c = Objects.requireNonNull(config, "config").withTarget(SchedulerConfig.DPM_MULTISTEP);
        this.config = forceKarras ? c.with("use_karras_sigmas", true) : c;
        this.schedule = NoiseSchedule.of(this.config);
        this.lambdaT = new float[schedule.size()];
        for (int i = 0; i < lambdaT.length; i++) {
            float alphaT = (float) Math.sqrt(schedule.alphaCumprod(i));
            float sigmaT = (float) Math.sqrt(1f - schedule.alphaCumprod(i));
            lambdaT[i] = (float) Math.log(alphaT) - (float) Math.log(sigmaT);
        }
        this.algorithmType = this.config.algorithmType();
        this.solverType = this.config.solverType();
        this.predictionType = this.config.predictionType();
        this.solverOrder = this.config.solverOrder();
        if (this.config.useKarrasSigmas() && this.config.useLuLambdas()) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: use_karras_sigmas and "
                    + "use_lu_lambdas are both true; keep one.");
        }
        if (!algorithmType.endsWith("dpmsolver++") && "zero".equals(this.config.finalSigmasType())) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: final_sigmas_type "
                    + "\"zero\" needs algorithm_type dpmsolver++ or sde-dpmsolver++, not " + algorithmType
                    + "; set final_sigmas_type to \"sigma_min\".");
        }
        // Read the remaining keys now, so a bad value fails when the model loads, not mid-generation.
        this.config.timestepSpacing();
        this.modelOutputs = new float[solverOrder][];
    }

    @Override
    public String id() {
        return config.useKarrasSigmas() ? "dpm++2m-karras" : "dpm++2m";
    }

    @Override
    public String displayName() {
        String base = switch (algorithmType) {
            case "dpmsolver++" -> "DPM++ " + solverOrder + "M";
            case "sde-dpmsolver++" -> "DPM++ " + solverOrder + "M SDE";
            case "dpmsolver" -> "DPM " + solverOrder + "M";
            default -> "DPM " + solverOrder + "M SDE";
        };
        return config.useKarrasSigmas() ? base + " Karras" : base;
    }

    /** The step sigmas plus the final one (length = steps + 1). */
    public float[] sigmas() {
        return sigmas.clone();
    }

    /** Images in the flat arrays; dynamic thresholding works per image. Default 1. */
    public void setBatchSize(int batchSize) {
        this.batchSize = ScheduleMath.checkBatchSize(batchSize);
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int numTrain = config.numTrainTimesteps();
        ScheduleMath.checkSteps(numInferenceSteps, numTrain, "DPM-Solver");
        // clipping lambda(t) from below matters for the cosine schedule
        int clippedIdx = 0;
        double lambdaMin = config.lambdaMinClipped();
        for (int i = lambdaT.length - 1; i >= 0 && lambdaT[i] < lambdaMin; i--) {
            clippedIdx++;
        }
        int lastTimestep = numTrain - clippedIdx;
        double[] t;
        switch (config.timestepSpacing()) {
            case "linspace" -> {
                double[] lin = ScheduleMath.numpyLinspace(0, lastTimestep - 1, numInferenceSteps + 1, true);
                t = new double[numInferenceSteps];
                for (int i = 0; i < numInferenceSteps; i++) {
                    t[i] = Math.rint(lin[numInferenceSteps - i]);
                }
            }
            case "leading" -> {
                int ratio = lastTimestep / (numInferenceSteps + 1);
                t = new double[numInferenceSteps];
                for (int i = 0; i < numInferenceSteps; i++) {
                    t[i] = (double) (numInferenceSteps - i) * ratio + config.stepsOffset();
                }
            }
            default -> {
                double[] ar = ScheduleMath.numpyArange(lastTimestep, 0, -(double) numTrain / numInferenceSteps);
                t = new double[ar.length];
                for (int i = 0; i < ar.length; i++) {
                    t[i] = Math.rint(ar[i]) - 1;
                }
            }
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = (long) t[i];
        }
        float[] trainSigmas = schedule.trainingSigmas();
        float[] logSigmas = ScheduleMath.logF32(trainSigmas);
        boolean roundTimesteps = !"squaredcos_cap_v2".equals(config.betaSchedule());
        double[] s;
        if (config.useKarrasSigmas()) {
            s = ScheduleMath.karrasSigmas(trainSigmas[0], trainSigmas[trainSigmas.length - 1], numInferenceSteps);
            t = ScheduleMath.sigmasToTimesteps(s, logSigmas, roundTimesteps);
        } else if (config.useLuLambdas()) {
            double lambdaMinLu = logSigmas[0];
            double lambdaMaxLu = logSigmas[logSigmas.length - 1];
            double[] ramp = ScheduleMath.numpyLinspace(0, 1, numInferenceSteps, true);
            s = new double[numInferenceSteps];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.exp(lambdaMaxLu + ramp[i] * (lambdaMinLu - lambdaMaxLu));
            }
            t = ScheduleMath.sigmasToTimesteps(s, logSigmas, roundTimesteps);
        } else {
            s = ScheduleMath.interpOnIndex(t, trainSigmas);
        }
        float last = "sigma_min".equals(config.finalSigmasType()) ? schedule.sigmaMin() : 0f;
        long[] ts = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            ts[i] = (long) t[i];
        }
        sigmas = ScheduleMath.withFinalSigma(s, last);
        timesteps = ts;
        resetHistory();
    }

    private void resetHistory() {
        modelOutputs = new float[solverOrder][];
        lowerOrderNums = 0;
        lastStepIndex = Integer.MIN_VALUE;
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
        ScheduleMath.checkStep(modelOutput, sample, stepIndex, steps, "DPM-Solver");
        if (stepIndex != lastStepIndex + 1) {
            resetHistory();
        }
        lastStepIndex = stepIndex;
        boolean lowerOrderFinal = stepIndex == steps - 1 && (config.eulerAtFinal()
                || (config.lowerOrderFinal() && steps < 15) || "zero".equals(config.finalSigmasType()));
        boolean lowerOrderSecond = stepIndex == steps - 2 && config.lowerOrderFinal() && steps < 15;

        float[] converted = convertModelOutput(modelOutput, stepIndex, sample);
        for (int i = 0; i < solverOrder - 1; i++) {
            modelOutputs[i] = modelOutputs[i + 1];
        }
        modelOutputs[solverOrder - 1] = converted;

        float[] noise = null;
        if (algorithmType.startsWith("sde")) {
            Objects.requireNonNull(generator, "SDE DPM-Solver needs a generator for its noise");
            noise = generator.randn(sample.length);
        }
        float[] prev;
        if (solverOrder == 1 || lowerOrderNums < 1 || lowerOrderFinal) {
            prev = firstOrderUpdate(converted, stepIndex, sample, noise);
        } else if (solverOrder == 2 || lowerOrderNums < 2 || lowerOrderSecond) {
            prev = secondOrderUpdate(stepIndex, sample, noise);
        } else {
            prev = thirdOrderUpdate(stepIndex, sample, noise);
        }
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
        return prev;
    }

    /** alpha_t and sigma_t of the VP process at noise level sigma (float32). */
    private static float[] alphaSigma(float sigma) {
        float alphaT = 1f / (float) Math.sqrt(sigma * sigma + 1f);
        return new float[] {alphaT, sigma * alphaT};
    }

    private static float lambda(float[] alphaSigma) {
        return (float) Math.log(alphaSigma[0]) - (float) Math.log(alphaSigma[1]);
    }

    private float[] convertModelOutput(float[] modelOutput, int stepIndex, float[] sample) {
        int n = sample.length;
        float[] as = alphaSigma(sigmas[stepIndex]);
        float alphaT = as[0];
        float sigmaT = as[1];
        if (algorithmType.endsWith("dpmsolver++")) {
            // DPM-Solver++ works on the data prediction x0
            float[] out = ScheduleMath.predictOriginalSample(predictionType, modelOutput, sample, alphaT, sigmaT);
            if (config.thresholding()) {
                out = ScheduleMath.threshold(out, batchSize, config.dynamicThresholdingRatio(),
                        config.sampleMaxValue());
            }
            return out;
        }
        // DPM-Solver works on the noise prediction epsilon
        float[] out = new float[n];
        switch (predictionType) {
            case "epsilon" -> System.arraycopy(modelOutput, 0, out, 0, n);
            case "sample" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (sample[i] - alphaT * modelOutput[i]) / sigmaT;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = alphaT * modelOutput[i] + sigmaT * sample[i];
                }
            }
        }
        if (config.thresholding()) {
            float[] x0 = new float[n];
            for (int i = 0; i < n; i++) {
                x0[i] = (sample[i] - sigmaT * out[i]) / alphaT;
            }
            x0 = ScheduleMath.threshold(x0, batchSize, config.dynamicThresholdingRatio(), config.sampleMaxValue());
            for (int i = 0; i < n; i++) {
                out[i] = (sample[i] - alphaT * x0[i]) / sigmaT;
            }
        }
        return out;
    }

    private float[] firstOrderUpdate(float[] m, int stepIndex, float[] sample, float[] noise) {
        float[] t = alphaSigma(sigmas[stepIndex + 1]);
        float[] s = alphaSigma(sigmas[stepIndex]);
        float h = lambda(t) - lambda(s);
        float alphaT = t[0];
        float sigmaT = t[1];
        int n = sample.length;
        float[] x = new float[n];
        switch (algorithmType) {
            case "dpmsolver++" -> {
                float a = sigmaT / s[1];
                float b = alphaT * (expF(-h) - 1f);
                for (int i = 0; i < n; i++) {
                    x[i] = a * sample[i] - b * m[i];
                }
            }
            case "dpmsolver" -> {
                float a = alphaT / s[0];
                float b = sigmaT * (expF(h) - 1f);
                for (int i = 0; i < n; i++) {
                    x[i] = a * sample[i] - b * m[i];
                }
            }
            case "sde-dpmsolver++" -> {
                float a = sigmaT / s[1] * expF(-h);
                float b = alphaT * (1f - expF(-2f * h));
                float c = sigmaT * (float) Math.sqrt(1f - expF(-2f * h));
                for (int i = 0; i < n; i++) {
                    x[i] = a * sample[i] + b * m[i] + c * noise[i];
                }
            }
            default -> {
                float a = alphaT / s[0];
                float b = 2f * (sigmaT * (expF(h) - 1f));
                float c = sigmaT * (float) Math.sqrt(expF(2f * h) - 1f);
                for (int i = 0; i < n; i++) {
                    x[i] = a * sample[i] - b * m[i] + c * noise[i];
                }
            }
        }
        return x;
    }

    private float[] secondOrderUpdate(int stepIndex, float[] sample, float[] noise) {
        float[] t = alphaSigma(sigmas[stepIndex + 1]);
        float[] s0 = alphaSigma(sigmas[stepIndex]);
        float[] s1 = alphaSigma(sigmas[stepIndex - 1]);
        float lambdaT1 = lambda(t);
        float lambdaS0 = lambda(s0);
        float lambdaS1 = lambda(s1);
        float[] m0 = modelOutputs[solverOrder - 1];
        float[] m1 = modelOutputs[solverOrder - 2];
        float h = lambdaT1 - lambdaS0;
        float h0 = lambdaS0 - lambdaS1;
        float r0 = h0 / h;
        float invR0 = 1f / r0;
        float alphaT = t[0];
        float sigmaT = t[1];
        int n = sample.length;
        float[] x = new float[n];
        boolean midpoint = "midpoint".equals(solverType);
        switch (algorithmType) {
            case "dpmsolver++" -> {
                float a = sigmaT / s0[1];
                float b = alphaT * (expF(-h) - 1f);
                float c = midpoint ? 0.5f * b : alphaT * ((expF(-h) - 1f) / h + 1f);
                for (int i = 0; i < n; i++) {
                    float d1 = invR0 * (m0[i] - m1[i]);
                    x[i] = midpoint ? a * sample[i] - b * m0[i] - c * d1 : a * sample[i] - b * m0[i] + c * d1;
                }
            }
            case "dpmsolver" -> {
                float a = alphaT / s0[0];
                float b = sigmaT * (expF(h) - 1f);
                float c = midpoint ? 0.5f * b : sigmaT * ((expF(h) - 1f) / h - 1f);
                for (int i = 0; i < n; i++) {
                    float d1 = invR0 * (m0[i] - m1[i]);
                    x[i] = a * sample[i] - b * m0[i] - c * d1;
                }
            }
            case "sde-dpmsolver++" -> {
                float a = sigmaT / s0[1] * expF(-h);
                float b = alphaT * (1f - expF(-2f * h));
                float c = midpoint ? 0.5f * b : alphaT * ((1f - expF(-2f * h)) / (-2f * h) + 1f);
                float e = sigmaT * (float) Math.sqrt(1f - expF(-2f * h));
                for (int i = 0; i < n; i++) {
                    float d1 = invR0 * (m0[i] - m1[i]);
                    x[i] = a * sample[i] + b * m0[i] + c * d1 + e * noise[i];
                }
            }
            default -> {
                float a = alphaT / s0[0];
                float b = 2f * (sigmaT * (expF(h) - 1f));
                float c = midpoint ? sigmaT * (expF(h) - 1f) : 2f * (sigmaT * ((expF(h) - 1f) / h - 1f));
                float e = sigmaT * (float) Math.sqrt(expF(2f * h) - 1f);
                for (int i = 0; i < n; i++) {
                    float d1 = invR0 * (m0[i] - m1[i]);
                    x[i] = a * sample[i] - b * m0[i] - c * d1 + e * noise[i];
                }
            }
        }
        return x;
    }

    private float[] thirdOrderUpdate(int stepIndex, float[] sample, float[] noise) {
        float[] t = alphaSigma(sigmas[stepIndex + 1]);
        float[] s0 = alphaSigma(sigmas[stepIndex]);
        float[] s1 = alphaSigma(sigmas[stepIndex - 1]);
        float[] s2 = alphaSigma(sigmas[stepIndex - 2]);
        float lambdaT1 = lambda(t);
        float lambdaS0 = lambda(s0);
        float lambdaS1 = lambda(s1);
        float lambdaS2 = lambda(s2);
        float[] m0 = modelOutputs[solverOrder - 1];
        float[] m1 = modelOutputs[solverOrder - 2];
        float[] m2 = modelOutputs[solverOrder - 3];
        float h = lambdaT1 - lambdaS0;
        float h0 = lambdaS0 - lambdaS1;
        float h1 = lambdaS1 - lambdaS2;
        float r0 = h0 / h;
        float r1 = h1 / h;
        float alphaT = t[0];
        float sigmaT = t[1];
        float invR0 = 1f / r0;
        float invR1 = 1f / r1;
        float w1 = r0 / (r0 + r1);
        float w2 = 1f / (r0 + r1);
        int n = sample.length;
        float[] x = new float[n];
        float a;
        float b;
        float c;
        float d;
        float e = 0f;
        switch (algorithmType) {
            case "dpmsolver++" -> {
                a = sigmaT / s0[1];
                b = alphaT * (expF(-h) - 1f);
                c = alphaT * ((expF(-h) - 1f) / h + 1f);
                d = alphaT * ((expF(-h) - 1f + h) / (h * h) - 0.5f);
            }
            case "dpmsolver" -> {
                a = alphaT / s0[0];
                b = sigmaT * (expF(h) - 1f);
                c = -(sigmaT * ((expF(h) - 1f) / h - 1f));
                d = sigmaT * ((expF(h) - 1f - h) / (h * h) - 0.5f);
            }
            case "sde-dpmsolver++" -> {
                a = sigmaT / s0[1] * expF(-h);
                b = -(alphaT * (1f - expF(-2f * h)));
                c = alphaT * ((1f - expF(-2f * h)) / (-2f * h) + 1f);
                d = -(alphaT * ((1f - expF(-2f * h) - 2f * h) / ((2f * h) * (2f * h)) - 0.5f));
                e = sigmaT * (float) Math.sqrt(1f - expF(-2f * h));
            }
            default -> throw new PigmentException(ErrorCode.MODEL_INVALID, "scheduler_config.json: solver_order 3"
                    + " is not available with algorithm_type " + algorithmType + "; use solver_order 2.");
        }
        for (int i = 0; i < n; i++) {
            float d10 = invR0 * (m0[i] - m1[i]);
            float d11 = invR1 * (m1[i] - m2[i]);
            float d1 = d10 + w1 * (d10 - d11);
            float d2 = w2 * (d10 - d11);
            float v = a * sample[i] - b * m0[i] + c * d1 - d * d2;
            x[i] = noise == null ? v : v + e * noise[i];
        }
        return x;
    }

    private static float expF(float x) {
        return (float) Math.exp(x);
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int stepIndex) {
        if (ScheduleMath.noNoiseLeft(original, noise, stepIndex, timesteps.length, "DPM-Solver")) {
            return original.clone();
        }
        float[] as = alphaSigma(sigmas[stepIndex]);
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = as[0] * original[i] + as[1] * noise[i];
        }
        return out;
    }
}
