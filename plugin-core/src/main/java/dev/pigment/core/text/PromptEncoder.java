package dev.pigment.core.text;

/** Turns a prompt into the hidden states a denoiser is conditioned on. */
public interface PromptEncoder {

    /** Encodes one prompt (batch 1); an empty prompt is valid and gives the unconditional embedding. */
    EncodedPrompt encode(String prompt);
}
