package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static Frame frame(int attachmentBytes) {
        JsonObject h = new JsonObject();
        h.addProperty("type", "progress");
        h.addProperty("prompt", "café");
        return new Frame(h, List.of(new byte[attachmentBytes]));
    }

    @Test
    void backlogDropsProgressRefusesPastTheBoundAndDrainsToZero() throws Exception {
        Outbox o = new Outbox(3000, 1000);
        assertFalse(o.dropsDroppable());
        assertTrue(o.offer(frame(1500), true));
        assertTrue(o.dropsDroppable(), "a backlog past 1000 bytes drops progress");
        assertTrue(o.offer(frame(1500), true), "a dropped droppable frame is not a failure");
        assertFalse(o.offer(frame(1500), false), "an essential frame past the bound closes the connection");
        Outbox.Pending p = o.take();
        byte[] header = frame(0).header().toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(header.length + 1500, p.size(), "sizes count the UTF-8 header bytes");
        assertTrue(java.util.Arrays.equals(header, p.header()));
        assertTrue(o.isEmpty(), "the dropped frame was never queued");
        o.sent(p);
        assertFalse(o.dropsDroppable());
        o.finish(null);
        assertNull(o.take());
    }
}
