package dev.pigment.core.pipeline;

import dev.pigment.core.text.EncodedPrompt;
import java.util.List;

/**
 * The prompt side of every denoiser call of one generation, prepared once.
 *
 * @param cond     the encoded prompt
 * @param uncond   the encoded negative prompt, or null when guidance is off
 * @param guidance how the two predictions are combined
 * @param batched  for denoisers that run both prompts as one batch: [uncond, cond] hidden states, else null
 * @param references reference images' latents at the working size, appended as tokens by denoisers whose export
 *                 declares reference tokens; empty otherwise
 */
record Conditioning(EncodedPrompt cond, EncodedPrompt uncond, Guidance guidance, float[] batched,
                    List<float[]> references) {
    Conditioning {
        references = List.copyOf(references);
    }

    Conditioning(EncodedPrompt cond, EncodedPrompt uncond, Guidance guidance, float[] batched) {
        this(cond, uncond, guidance, batched, List.of());
    }

    Conditioning withReferences(List<float[]> latents) {
        return new Conditioning(cond, uncond, guidance, batched, latents);
    }

    boolean guided() {
        return uncond != null && guidance.on();
    }
}
