package dev.pigment.core.model;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Optional;

/**
 * diffusers' {@code unet/config.json} ({@code UNet2DConditionModel} keys), as far as Pigment needs it.
 *
 * @param inChannels {@code in_channels}: 4, or 9 for inpainting UNets; 0 when the file does not say
 * @param sampleSize {@code sample_size} in latent cells as [height, width]; null when the file does not say
 */
public record UNetConfig(int inChannels, int[] sampleSize) {
    public static final UNetConfig UNKNOWN = new UNetConfig(0, null);

    public UNetConfig {
        sampleSize = sampleSize == null ? null : sampleSize.clone();
    }

    @Override
    public int[] sampleSize() {
        return sampleSize == null ? null : sampleSize.clone();
    }

    public static UNetConfig read(Path modelFolder) {
        Path cfg = modelFolder.resolve(ModelComponent.UNET.folder()).resolve("config.json");
        Optional<JsonObject> o = ComponentConfigs.read(cfg);
        if (o.isEmpty()) {
            return UNKNOWN;
        }
        int in = ComponentConfigs.integer(cfg, o.get(), "in_channels", 0);
        if (in < 0 || in > 1024) {
            throw ComponentConfigs.bad(cfg, "in_channels", in, "from 1 to 1024");
        }
        int[] s = ComponentConfigs.integers(cfg, o.get(), "sample_size", new int[0]);
        int[] size = s.length == 1 ? new int[] {s[0], s[0]} : s.length == 2 ? s : null;
        return new UNetConfig(in, size);
    }
}
