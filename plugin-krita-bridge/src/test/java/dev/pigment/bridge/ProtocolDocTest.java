package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md cannot drift: every client example is sent to a live server and answered, and every server
 * example has exactly the fields (recursively) of the messages the server really sent.
 */
class ProtocolDocTest {
    private static final Pattern EXAMPLE = Pattern.compile("```json (client|server)\\n(.*?)\\n```", Pattern.DOTALL);

    record Example(String side, JsonObject json) {
    }

    static List<Example> examples() throws Exception {
        String doc = Files.readString(Servers.home().resolve("docs/protocol.md"));
        List<Example> out = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(doc);
        while (m.find()) {
            out.add(new Example(m.group(1), JsonParser.parseString(m.group(2)).getAsJsonObject()));
        }
        return out;
    }

    @Test
    void everyClientExampleIsAnsweredAndEveryServerExampleMatchesWhatTheServerSends() throws Exception {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 14, "examples found: " + examples.size());
        Map<String, List<JsonObject>> sent = new HashMap<>();
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = new TestClient(s.port())) {
            List<Long> ids = new ArrayList<>();
            for (Example e : examples) {
                if (e.side().equals("client")) {
                    c.send(new Frame(e.json(), attachmentsFor(e.json())));
                    ids.add(e.json().get("id").getAsLong());
                }
            }
            // Every client message gets its direct answer; submits get their queued event and an end.
            Set<Long> answered = new TreeSet<>();
            Set<Long> ended = new TreeSet<>();
            Set<Long> submits = new TreeSet<>(List.of(3L, 4L));
            while (!answered.containsAll(ids) || !ended.containsAll(submits)) {
                Frame f = c.read();
                record(sent, f);
                JsonObject h = f.header();
                if (h.has("re")) {
                    assertNotEquals("error", f.type(), "a doc example was refused: " + h);
                    answered.add(h.get("re").getAsLong());
                }
                if (f.type().equals("queued")) {
                    answered.add(h.get("job").getAsLong());
                }
                if (h.has("job") && (f.type().equals("result") || f.type().equals("error"))) {
                    ended.add(h.get("job").getAsLong());
                }
            }
            // The doc's first submit again, uncancelled (previews, a bgra8 result), and one refused submit.
            JsonObject again = examples.stream().filter(e -> e.json().get("type").getAsString().equals("submit"))
                    .findFirst().orElseThrow().json().deepCopy();
            again.addProperty("id", 7);
            c.send(Frame.of(again));
            record(sent, c.readUntil(f -> { record(sent, f); return TestClient.isEnd(f, 7); }));
            c.send("{\"type\":\"submit\",\"id\":9,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":900}");
            record(sent, c.end(9));
            s.server.close();
            record(sent, c.readUntil(f -> f.type().equals("bye")));
        }
        for (Example e : examples) {
            if (e.side().equals("server")) {
                String type = e.json().get("type").getAsString();
                List<JsonObject> real = sent.get(type);
                assertFalse(real == null || real.isEmpty(), "the server never sent a '" + type + "' in this run");
                Set<String> union = new TreeSet<>();
                for (JsonObject r : real) {
                    Set<String> paths = paths(r, "");
                    assertTrue(paths(e.json(), "").containsAll(paths), type + ": the server sends fields the doc"
                            + " does not show: " + diff(paths, paths(e.json(), "")));
                    union.addAll(paths);
                }
                assertTrue(union.containsAll(paths(e.json(), "")), type + ": the doc shows fields the server never"
                        + " sends: " + diff(paths(e.json(), ""), union));
            }
        }
    }

    @Test
    void theDocListsEveryMessageTypeTheServerHandles() throws Exception {
        Set<String> client = new TreeSet<>();
        examples().stream().filter(e -> e.side().equals("client")).forEach(e -> client.add(e.json().get("type").getAsString()));
        assertEquals(Set.of("hello", "models", "submit", "cancel", "ping"), client);
    }

    private static void record(Map<String, List<JsonObject>> sent, Frame f) {
        sent.computeIfAbsent(f.type(), k -> new ArrayList<>()).add(f.header());
    }

    /** Bytes for each descriptor: a grey image, or a mask with a centred rectangle. */
    static List<byte[]> attachmentsFor(JsonObject m) {
        List<byte[]> out = new ArrayList<>();
        if (!m.has("attachments")) {
            return out;
        }
        for (JsonElement d : m.getAsJsonArray("attachments")) {
            JsonObject o = d.getAsJsonObject();
            int w = o.get("width").getAsInt();
            int h = o.get("height").getAsInt();
            byte[] b = new byte[o.get("length").getAsInt()];
            if (o.get("format").getAsString().equals("gray8")) {
                for (int y = h / 4; y < 3 * h / 4; y++) {
                    for (int x = w / 4; x < 3 * w / 4; x++) {
                        b[y * w + x] = (byte) 255;
                    }
                }
            } else {
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (i % 4 == 3 ? 255 : (i * 7) % 200);
                }
            }
            out.add(b);
        }
        return out;
    }

    /** Dotted key paths; array elements share the path {@code name[]}; {@code timings} is a map (keys = phases). */
    static Set<String> paths(JsonElement e, String prefix) {
        Set<String> out = new TreeSet<>();
        if (e.isJsonObject() && !prefix.equals("timings")) {
            for (Map.Entry<String, JsonElement> kv : e.getAsJsonObject().entrySet()) {
                String p = prefix.isEmpty() ? kv.getKey() : prefix + "." + kv.getKey();
                out.add(p);
                out.addAll(paths(kv.getValue(), p));
            }
        } else if (e.isJsonArray()) {
            for (JsonElement x : (JsonArray) e) {
                out.addAll(paths(x, prefix + "[]"));
            }
        }
        return out;
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
