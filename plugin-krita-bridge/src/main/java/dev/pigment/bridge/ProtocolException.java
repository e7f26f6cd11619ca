package dev.pigment.bridge;

/**
 * The peer broke the protocol. {@code fatal} when the byte stream cannot be trusted any more (bad length,
 * truncated frame), so the connection is closed after the error is sent; otherwise only that message is refused.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final boolean fatal;

    public ProtocolException(String code, String message, boolean fatal) {
        super(message);
        this.code = code;
        this.fatal = fatal;
    }

    /** A stable error code (docs/protocol.md, "Errors"). */
    public String code() {
        return code;
    }

    public boolean fatal() {
        return fatal;
    }
}
