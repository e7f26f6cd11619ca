package dev.pigment.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A shared secret, compared in constant time (digests of equal length, then MessageDigest.isEqual). */
final class Token {
    private final byte[] digest;

    Token(String secret) {
        if (secret == null || secret.strip().length() < 8) {
            throw new IllegalArgumentException("A token must have at least 8 characters; got "
                    + (secret == null ? "none" : secret.strip().length()) + ".");
        }
        this.digest = sha256(secret.strip());
    }

    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate.strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
