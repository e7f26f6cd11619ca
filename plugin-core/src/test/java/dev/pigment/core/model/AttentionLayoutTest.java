package dev.pigment.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the memory guard looks for the largest attention: UNet configs, DiT configs, defaults. */
class AttentionLayoutTest {
    @TempDir
    Path dir;

    private Path write(String component, String json) throws Exception {
        Path f = dir.resolve(component).resolve("config.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, json);
        return f;
    }

    @Test
    void sd15ConfigKeepsTheHeadCountInAttentionHeadDim() throws Exception {
        write("unet", "{\"attention_head_dim\": 8, \"down_block_types\": [\"CrossAttnDownBlock2D\", \"DownBlock2D\"]}");
        write("vae_decoder", "{\"block_out_channels\": [128, 256, 512, 512]}");
        assertEquals(new AttentionLayout(8, 0, 128), AttentionLayout.read(dir));
    }

    @Test
    void theDemoAttendsFromItsSecondLevelWithFourHeads() {
        Path demo = Path.of(System.getProperty(ModelRegistry.HOME_PROPERTY, "..")).resolve("models/demo");
        assertEquals(new AttentionLayout(4, 1, 24), AttentionLayout.read(demo));
    }

    @Test
    void aDitAttendsAtItsPatchGrid() throws Exception {
        write("transformer", "{\"n_heads\": 30, \"all_patch_size\": [2]}");
        assertEquals(new AttentionLayout(30, 1, 128), AttentionLayout.read(dir));
    }

    @Test
    void noConfigMeansSd1Defaults() {
        assertEquals(AttentionLayout.SD1, AttentionLayout.read(dir));
    }
}
