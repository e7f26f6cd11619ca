package dev.pigment.bridge;

import com.google.gson.JsonObject;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.service.GenerationService;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The protocol state of one client: the handshake, its jobs and their events. Every message gets an answer;
 * a bad message is refused with an error naming the problem and the session goes on.
 */
final class Session {
    private final Connection connection;
    private final BridgeServer server;
    private final Map<Long, GenerationService.Job> jobs = new ConcurrentHashMap<>();
    private volatile boolean greeted;

    Session(Connection connection, BridgeServer server) {
        this.connection = connection;
        this.server = server;
    }

    void handle(Frame frame) {
        long re = -1;
        try {
            re = Json.id(frame.header());
            String type = frame.type();
            if (type == null) {
                throw Attachments.bad("The message has no string 'type'.");
            }
            if (!greeted && !type.equals("hello")) {
                refuseBeforeHello(re, type);
                return;
            }
            switch (type) {
                case "hello" -> hello(frame.header(), re);
                case "ping" -> connection.send(Frame.of(Messages.reply("pong", re)), false);
                case "models" -> models(re);
                case "submit" -> submit(frame, re);
                case "cancel" -> cancel(frame.header(), re);
                default -> throw Attachments.bad("Unknown message type '" + FrameCodec.abbreviate(type)
                        + "': use hello, models, submit, cancel or ping.");
            }
        } catch (ProtocolException e) {
            // A refused submit is also the end of that job, so a client waiting on the job hears of it.
            long job = "submit".equals(frame.type()) && !e.code().equals("too_many_jobs") ? re : -1;
            connection.send(Frame.of(Messages.error(re, job, e.code(), e.getMessage())), false);
            if (e.fatal()) {
                connection.finish(null);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // A bug on our side must not take the server (or this client's other jobs) down.
            connection.send(Frame.of(Messages.error(re, -1, "runtime", "internal error: " + e)), false);
        }
    }

    private void refuseBeforeHello(long re, String type) {
        String code = server.requiresToken() ? "unauthorized" : "bad_request";
        connection.finish(Messages.error(re, -1, code, "The first message must be 'hello'"
                + (server.requiresToken() ? " with the server's token" : "") + "; got '"
                + FrameCodec.abbreviate(type) + "'."));
    }

    private void hello(JsonObject m, long re) throws ProtocolException {
        int protocol = Json.integer(m, "protocol", 0, Integer.MAX_VALUE);
        if (protocol != Messages.PROTOCOL_VERSION) {
            connection.finish(Messages.error(re, -1, "protocol_version", "This server speaks protocol "
                    + Messages.PROTOCOL_VERSION + "; the client speaks " + protocol + ". Update the older side."));
            return;
        }
        if (server.requiresToken()) {
            String token = m.has("token") && m.get("token").isJsonPrimitive() ? m.get("token").getAsString() : null;
            if (!server.tokenMatches(token)) {
                connection.finish(Messages.error(re, -1, "unauthorized", token == null
                        ? "This server requires a token: pass the one given to 'pigment serve --token'."
                        : "Wrong token."));
                return;
            }
        }
        greeted = true;
        connection.send(Frame.of(Messages.hello(re, server.version(), server.service().capabilities(),
                server.limits())), false);
    }

    private void models(long re) {
        JsonObject o = Messages.reply("models", re);
        o.add("models", Messages.models(server.service().capabilities()));
        connection.send(Frame.of(o), false);
    }

    private void submit(Frame frame, long id) throws ProtocolException {
        if (jobs.containsKey(id)) {
            throw Attachments.bad("Job " + id + " is still running: give each submit its own id.");
        }
        if (jobs.size() >= server.limits().maxQueuedJobs()) {
            throw new ProtocolException("too_many_jobs", "You have " + jobs.size() + " unfinished jobs; the limit is "
                    + server.limits().maxQueuedJobs() + ". Wait for one to finish or cancel one.", false);
        }
        String format = resultFormat(frame.header());
        boolean previews = Json.flag(frame.header(), "previews", false);
        SubmitDecoder decoder = new SubmitDecoder(server.attachments());
        GenerationRequest request = decoder.decode(frame);
        Messages.Unchanged unchanged = decoder.unchanged();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                // Only the queued event is essential; the rest may be dropped for a client that reads slowly.
                connection.send(Messages.progress(id, p, previews ? format : null),
                        p.phase() != dev.pigment.core.api.Phase.QUEUED);
            }

            @Override
            public boolean wantsPreview() {
                // No preview is decoded and encoded for a progress event the backlog would drop anyway.
                return previews && !connection.dropsProgress();
            }
        };
        synchronized (this) {
            if (connection.isClosed()) {
                return;
            }
            GenerationService.Job job = server.service().submit(request, listener);
            jobs.put(id, job);
            job.result().whenCompleteAsync((r, t) -> finished(id, r, t, format, unchanged), server.encoder());
        }
    }

    private void finished(long id, GenerationResult result, Throwable failure, String format,
                          Messages.Unchanged unchanged) {
        try {
            if (failure == null) {
                connection.send(Messages.result(id, result, format, unchanged), false);
            } else {
                Throwable t = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                String code = t instanceof PigmentException pe ? pe.code().id() : "runtime";
                String message = t instanceof PigmentException ? t.getMessage() : "internal error: " + t;
                connection.send(Frame.of(Messages.error(-1, id, code, message)), false);
            }
        } finally {
            jobs.remove(id);
        }
    }

    private void cancel(JsonObject m, long re) throws ProtocolException {
        if (!m.has("job") || !Attachments.isInteger(m.get("job"))) {
            throw Attachments.bad("cancel needs 'job': the id of the submit to cancel.");
        }
        long job = m.get("job").getAsLong();
        GenerationService.Job j = jobs.get(job);
        if (j == null) {
            throw Attachments.bad("No unfinished job " + job + " on this connection (it may have finished already).");
        }
        j.cancel();
        connection.send(Frame.of(Messages.reply("ok", re)), false);
    }

    private static String resultFormat(JsonObject m) throws ProtocolException {
        if (!m.has("result_format")) {
            return "png";
        }
        String f = Json.string(m, "result_format", "the result format");
        if (!Attachments.IMAGE_FORMATS.contains(f)) {
            throw Attachments.bad("result_format '" + f + "' is not one of " + Attachments.IMAGE_FORMATS + ".");
        }
        return f;
    }

    /** Cancels every job of this client (it disconnected, or the server is stopping). */
    synchronized void cancelAll() {
        jobs.values().forEach(GenerationService.Job::cancel);
    }

    boolean hasJobs() {
        return !jobs.isEmpty();
    }
}
