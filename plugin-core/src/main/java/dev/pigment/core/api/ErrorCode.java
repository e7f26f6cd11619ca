package dev.pigment.core.api;

/** Stable error codes, shared by the CLI exit path, the bridge protocol and the ImageJ messages. */
public enum ErrorCode {
    /** The request itself is wrong (size, mask, prompt, parameter out of range). */
    BAD_REQUEST,
    /** No model with that id in any model folder. */
    MODEL_NOT_FOUND,
    /** The model folder exists but is incomplete or broken. */
    MODEL_INVALID,
    /** The user (or a disconnecting client) cancelled the job. */
    CANCELLED,
    /** Not enough memory for this size or model. */
    OUT_OF_MEMORY,
    /** ONNX Runtime or I/O failed while running. */
    RUNTIME;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
