package dev.pigment.core.api;

import java.util.Locale;

/**
 * What a job is doing. The ids are protocol words (the bridge's {@code progress} events, CLI progress lines,
 * ImageJ status text), so a phase that is not in this enum cannot be announced.
 */
public enum Phase {
    /** Waiting in the service's queue; {@link Progress#step()} is unused and {@code totalSteps} is 0. */
    QUEUED,
    /** Loading the model's files (the longest silent pause a user sees on a cold model). */
    LOAD,
    /** Encoding the source image into latents. */
    ENCODE_IMAGE,
    /** Running the text encoder. */
    ENCODE_PROMPT,
    /** The denoising loop; one step per scheduler step. */
    DENOISE,
    /** Decoding latents to pixels. */
    DECODE,
    /** A classic engine filling a hole. */
    FILL,
    /** A classic engine transferring colour or texture. */
    RESTYLE;

    /** Lower-case and dash-separated, e.g. {@code encode-prompt}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The phase with this id.
     *
     * @throws PigmentException BAD_REQUEST naming the known ids if there is none
     */
    public static Phase fromId(String id) {
        for (Phase p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw PigmentException.badRequest("Unknown phase '" + id + "': use one of "
                + java.util.Arrays.stream(values()).map(Phase::id).toList() + ".");
    }

    @Override
    public String toString() {
        return id();
    }
}
