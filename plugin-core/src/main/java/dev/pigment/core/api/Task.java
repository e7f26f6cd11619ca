package dev.pigment.core.api;

/** The jobs Pigment does. Every front end maps its commands onto these. */
public enum Task {
    /** A new image from a prompt. */
    TEXT_TO_IMAGE,
    /** The source image re-noised to {@code strength} and denoised towards the prompt. */
    IMAGE_TO_IMAGE,
    /** Repaint what the mask covers (1 = repaint); everything outside stays bit-for-bit the source. */
    INPAINT,
    /** Make the source look like the reference image(s), keeping its structure. */
    RESTYLE;

    /** The lower-case, dash-separated name used in the CLI, the bridge protocol and provenance. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static Task fromId(String id) {
        for (Task t : values()) {
            if (t.id().equals(id) || t.name().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new PigmentException(ErrorCode.BAD_REQUEST,
                "Unknown task '" + id + "': use one of text-to-image, image-to-image, inpaint, restyle.");
    }
}
