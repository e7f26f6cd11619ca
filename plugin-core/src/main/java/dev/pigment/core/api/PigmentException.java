package dev.pigment.core.api;

import java.util.Objects;

/**
 * A failure with a message meant for the user: it says what was wrong and what to do.
 * Front ends show {@link #getMessage()} as it is, never a stack trace.
 */
public class PigmentException extends RuntimeException {
    private final ErrorCode code;

    public PigmentException(ErrorCode code, String userMessage) {
        super(userMessage);
        this.code = Objects.requireNonNull(code, "code");
    }

    public PigmentException(ErrorCode code, String userMessage, Throwable cause) {
        super(userMessage, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** Shorthand for a {@link ErrorCode#BAD_REQUEST} failure. */
    public static PigmentException badRequest(String userMessage) {
        return new PigmentException(ErrorCode.BAD_REQUEST, userMessage);
    }
}
