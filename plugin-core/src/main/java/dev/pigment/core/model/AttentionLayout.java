package dev.pigment.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a UNet's self-attention sits, for estimating its largest activation (attention scores grow with
 * the square of the token count). Read from diffusers' {@code unet/config.json}:
 * {@code down_block_types} (the first {@code CrossAttn*} block is the finest attention level) and
 * {@code num_attention_heads}, else {@code attention_head_dim} when it is a single small number (in SD 1.x
 * configs that key holds the head count), else SD 1.x's 8 heads at the top level. A flow-matching DiT
 * ({@code transformer/config.json}) attends at the patch grid: {@code num_attention_heads} or {@code n_heads},
 * level log2 of {@code patch_size} / {@code all_patch_size}.
 *
 * @param heads              attention heads at the finest self-attention level
 * @param level              how many times the latent is halved before that level (0 = full latent size)
 * @param vaeTopChannels     the VAE decoder's channels at full image resolution ({@code block_out_channels[0]})
 */
public record AttentionLayout(int heads, int level, int vaeTopChannels) {
    public static final AttentionLayout SD1 = new AttentionLayout(8, 0, 128);

    public AttentionLayout {
        if (heads < 1 || level < 0 || level > 6 || vaeTopChannels < 1) {
            throw new IllegalArgumentException("attention layout heads " + heads + ", level " + level
                    + ", VAE channels " + vaeTopChannels);
        }
    }

    public static AttentionLayout read(Path modelFolder) {
        Path cfg = modelFolder.resolve(ModelComponent.UNET.folder()).resolve("config.json");
        Optional<JsonObject> o = ComponentConfigs.read(cfg);
        int heads = SD1.heads;
        int level = SD1.level;
        Path dit = modelFolder.resolve(ModelComponent.TRANSFORMER.folder()).resolve("config.json");
        Optional<JsonObject> t = o.isPresent() ? Optional.empty() : ComponentConfigs.read(dit);
        if (t.isPresent()) {
            // A DiT attends over patches: every layer at (latent / patch)^2 tokens.
            int n = ComponentConfigs.integer(dit, t.get(), "num_attention_heads", 0);
            heads = n > 0 ? n : ComponentConfigs.integer(dit, t.get(), "n_heads", 24);
            int[] patch = ComponentConfigs.integers(dit, t.get(), "all_patch_size", new int[] {2});
            int p = ComponentConfigs.integer(dit, t.get(), "patch_size", patch.length > 0 ? patch[0] : 2);
            level = Math.max(0, 31 - Integer.numberOfLeadingZeros(Math.max(1, p)));
        }
        if (o.isPresent()) {
            int n = ComponentConfigs.integer(cfg, o.get(), "num_attention_heads", 0);
            int[] dims = ComponentConfigs.integers(cfg, o.get(), "attention_head_dim", new int[0]);
            heads = n > 0 ? n : dims.length == 1 && dims[0] <= 16 && dims[0] > 0 ? dims[0] : heads;
            level = firstAttentionLevel(o.get(), level);
        }
        Path vae = modelFolder.resolve("vae_decoder").resolve("config.json");
        Optional<JsonObject> v = ComponentConfigs.read(vae);
        int top = SD1.vaeTopChannels;
        if (v.isPresent()) {
            int[] blocks = ComponentConfigs.integers(vae, v.get(), "block_out_channels", new int[] {top});
            top = blocks.length > 0 && blocks[0] > 0 ? blocks[0] : top;
        }
        return new AttentionLayout(heads, level, top);
    }

    /**
     * Whether the VAE decoder has diffusers' mid-block self-attention: a full {@code AutoencoderKL} config
     * (one listing {@code up_block_types}) has it unless {@code mid_block_add_attention} is false. A config
     * without the block list (a custom decoder, like the demo's) is taken to have none.
     */
    public static boolean vaeMidAttention(Path modelFolder) {
        Path vae = modelFolder.resolve("vae_decoder").resolve("config.json");
        Optional<JsonObject> v = ComponentConfigs.read(vae);
        if (v.isEmpty() || !v.get().has("up_block_types")) {
            return false;
        }
        JsonElement add = v.get().get("mid_block_add_attention");
        return add == null || !add.isJsonPrimitive() || !add.getAsJsonPrimitive().isBoolean() || add.getAsBoolean();
    }

    private static int firstAttentionLevel(JsonObject o, int fallback) {
        JsonElement e = o.get("down_block_types");
        if (e == null || !e.isJsonArray()) {
            return fallback;
        }
        JsonArray a = e.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).isJsonPrimitive() && a.get(i).getAsString().contains("Attn")) {
                return i;
            }
        }
        return a.size();
    }
}
