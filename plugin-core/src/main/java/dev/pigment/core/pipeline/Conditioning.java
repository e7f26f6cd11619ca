package dev.pigment.core.pipeline;

import dev.pigment.core.text.EncodedPrompt;

/**
 * The prompt side of every denoiser call of one generation, prepared once.
 *
 * @param cond     the encoded prompt
 * @param uncond   the encoded negative prompt, or null when guidance is off
 * @param guidance how the two predictions are combined
 * @param batched  for denoisers that run both prompts as one batch: [uncond, cond] hidden states, else null
 */
record Conditioning(EncodedPrompt cond, EncodedPrompt uncond, Guidance guidance, float[] batched) {
    boolean guided() {
        return uncond != null && guidance.on();
    }
}
