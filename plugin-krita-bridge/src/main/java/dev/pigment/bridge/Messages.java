package dev.pigment.bridge;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.service.Capabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The server's messages (docs/protocol.md, "Server messages"). */
final class Messages {
    static final int PROTOCOL_VERSION = 1;

    private Messages() {
    }

    static JsonObject message(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }

    static JsonObject reply(String type, long re) {
        JsonObject o = message(type);
        o.addProperty("re", re);
        return o;
    }

    static JsonObject hello(long re, String serverVersion, Capabilities caps, ServerLimits limits) {
        JsonObject o = reply("hello", re);
        o.addProperty("protocol", PROTOCOL_VERSION);
        o.addProperty("server", serverVersion);
        JsonArray tasks = new JsonArray();
        for (Task t : Task.values()) {
            tasks.add(t.id());
        }
        o.add("tasks", tasks);
        o.add("models", models(caps));
        JsonArray schedulers = new JsonArray();
        caps.schedulers().forEach(schedulers::add);
        o.add("schedulers", schedulers);
        JsonObject l = new JsonObject();
        l.addProperty("max_side", caps.limits().maxSide());
        l.addProperty("max_steps", caps.limits().maxSteps());
        l.addProperty("max_batch", caps.limits().maxBatch());
        l.addProperty("max_prompt_chars", caps.limits().maxPromptChars());
        l.addProperty("max_frame_bytes", limits.maxFrameBytes());
        l.addProperty("max_image_pixels", limits.maxImagePixels());
        l.addProperty("max_queued_jobs", limits.maxQueuedJobs());
        o.add("limits", l);
        return o;
    }

    static JsonArray models(Capabilities caps) {
        JsonArray models = new JsonArray();
        for (Capabilities.ModelCapabilities m : caps.models()) {
            JsonObject j = new JsonObject();
            j.addProperty("id", m.id());
            j.addProperty("name", m.displayName());
            j.addProperty("family", m.family().id());
            JsonArray tasks = new JsonArray();
            m.tasks().stream().map(Task::id).sorted().forEach(tasks::add);
            j.add("tasks", tasks);
            JsonObject r = new JsonObject();
            r.addProperty("width", m.recommended().width());
            r.addProperty("height", m.recommended().height());
            r.addProperty("steps", m.recommended().steps());
            r.addProperty("guidance", m.recommended().guidance());
            if (m.recommended().scheduler() != null) {
                r.addProperty("scheduler", m.recommended().scheduler());
            }
            j.add("recommended", r);
            models.add(j);
        }
        return models;
    }

    static Frame progress(long job, Progress p, String previewFormat) {
        if (p.phase() == dev.pigment.core.api.Phase.QUEUED) {
            JsonObject q = message("queued");
            q.addProperty("job", job);
            q.addProperty("position", p.jobsAhead());
            return Frame.of(q);
        }
        JsonObject o = message("progress");
        o.addProperty("job", job);
        o.addProperty("phase", p.phase().id());
        o.addProperty("step", p.step());
        o.addProperty("total", p.totalSteps());
        o.addProperty("image", p.imageIndex());
        if (p.preview() == null || previewFormat == null) {
            return Frame.of(o);
        }
        Attachments.Part part = Attachments.encode(p.preview(), previewFormat, Map.of());
        o.addProperty("preview", 0);
        return Frame.withAttachments(o, FrameCodec.descriptors(Attachments.descriptor(part)), List.of(part.bytes()));
    }

    /**
     * A job's source image, the bgra8 bytes it was decoded from, and whether those were found fully opaque as they
     * arrived (false: not known).
     */
    record Unchanged(RgbImage image, byte[] bgra, boolean knownOpaque) {
        Unchanged(RgbImage image, byte[] bgra) {
            this(image, bgra, false);
        }

        /** The bytes to send for {@code result} when it is this source itself (alpha opaque, as encoding gives). */
        byte[] bytesFor(RgbImage result, String format) {
            if (result != image || !format.equals("bgra8")) {
                return null;
            }
            if (knownOpaque || Alpha.opaque(bgra)) {
                return bgra;
            }
            byte[] out = bgra.clone();
            for (int j = 3; j < out.length; j += 4) {
                out[j] = (byte) 0xFF;
            }
            return out;
        }
    }

    static Frame result(long job, GenerationResult r, String format) {
        return result(job, r, format, null);
    }

    /** The result event; an image that is the job's unchanged source is sent from its own bytes. */
    static Frame result(long job, GenerationResult r, String format, Unchanged unchanged) {
        JsonObject o = message("result");
        o.addProperty("job", job);
        JsonArray images = new JsonArray();
        JsonArray descriptors = new JsonArray();
        List<byte[]> data = new ArrayList<>();
        for (GeneratedImage g : r.images()) {
            String text = r.provenance().toA1111Text(g.seed());
            byte[] same = unchanged == null ? null : unchanged.bytesFor(g.image(), format);
            Attachments.Part part = same != null ? new Attachments.Part(format, g.image().width(), g.image().height(), same)
                    : Attachments.encode(g.image(), format, Map.of(PngFiles.PARAMETERS_KEY, text));
            JsonObject img = new JsonObject();
            img.addProperty("attachment", data.size());
            img.addProperty("seed", g.seed());
            img.addProperty("provenance", text);
            images.add(img);
            descriptors.add(Attachments.descriptor(part));
            data.add(part.bytes());
        }
        o.add("images", images);
        JsonArray notes = new JsonArray();
        r.notes().forEach(notes::add);
        o.add("notes", notes);
        JsonObject timings = new JsonObject();
        r.timings().forEach((k, v) -> timings.addProperty(k, v.toNanos() / 1e9));
        o.add("timings", timings);
        return Frame.withAttachments(o, descriptors, data);
    }

    /** An error; {@code re} and {@code job} are omitted when negative. */
    static JsonObject error(long re, long job, String code, String message) {
        JsonObject o = message("error");
        if (re >= 0) {
            o.addProperty("re", re);
        }
        if (job >= 0) {
            o.addProperty("job", job);
        }
        o.addProperty("code", code);
        o.addProperty("message", message);
        return o;
    }
}
