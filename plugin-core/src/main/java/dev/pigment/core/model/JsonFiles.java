package dev.pigment.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the small JSON files of a model folder strictly (RFC 8259, as Python's json module
 * and the Rust tokenizers read them), turning gson's failures into one plain sentence.
 */
final class JsonFiles {
    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    /** Why a JSON file could not be used; the message names the line when gson knows it. */
    static final class JsonProblem extends Exception {
        JsonProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private JsonFiles() {
    }

    /** Parses a file whose top level must be a JSON object. */
    static JsonObject readObject(Path file) throws JsonProblem {
        JsonElement root = parse(file, true);
        if (!root.isJsonObject()) {
            throw new JsonProblem("the top level is not a JSON object {...}", null);
        }
        return root.getAsJsonObject();
    }

    /**
     * Checks that a file is one well-formed JSON value without building it in memory
     * (tokenizer.json of an LLM text encoder is over 10 MB).
     */
    static void checkSyntax(Path file) throws JsonProblem {
        parse(file, false);
    }

    private static JsonElement parse(Path file, boolean build) throws JsonProblem {
        try {
            if (Files.size(file) == 0) {
                throw new JsonProblem("the file is empty", null);
            }
        } catch (IOException e) {
            throw ioProblem(e);
        }
        try (JsonReader reader = new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = null;
            if (build) {
                root = JsonParser.parseReader(reader);
            } else {
                reader.skipValue();
            }
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonProblem("invalid JSON: more text follows the JSON value", null);
            }
            return root;
        } catch (JsonParseException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IOException io && !(io instanceof EOFException) && !isSyntax(io)) {
                throw ioProblem(io);
            }
            throw new JsonProblem(describe(cause), e);
        } catch (IOException e) {
            if (e instanceof EOFException || isSyntax(e)) {
                throw new JsonProblem(describe(e), e);
            }
            throw ioProblem(e);
        }
    }

    private static boolean isSyntax(IOException e) {
        return e instanceof com.google.gson.stream.MalformedJsonException;
    }

    private static JsonProblem ioProblem(IOException e) {
        if (e instanceof CharacterCodingException) {
            return new JsonProblem("not UTF-8 text", e);
        }
        return new JsonProblem("cannot be read (" + e.getMessage() + ")", e);
    }

    /** gson says e.g. "Unterminated object at line 3 column 5 path $.a\nSee https://..."; keep the useful part. */
    static String describe(Throwable cause) {
        if (cause instanceof EOFException) {
            return "invalid JSON: the file ends too early (truncated?)";
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        Matcher m = POSITION.matcher(message);
        if (!m.find()) {
            return "invalid JSON" + (message.isEmpty() ? "" : " (" + message + ")");
        }
        String reason = message.substring(0, m.start()).replaceAll("\\s*at\\s*$", "").trim();
        if (reason.equals("Unterminated object")) {
            reason = "expected ',' or '}': a missing comma?";
        } else if (reason.equals("Unterminated array")) {
            reason = "expected ',' or ']': a missing comma?";
        } else if (reason.contains("setStrictness")) {
            // gson's advice is for programmers; say what is wrong with the text instead
            reason = "not plain JSON: comments, single quotes, unquoted words and trailing commas are not allowed";
        }
        return "invalid JSON at line " + m.group(1) + ", column " + m.group(2)
                + (reason.isEmpty() ? "" : " (" + lowerFirst(reason) + ")");
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
