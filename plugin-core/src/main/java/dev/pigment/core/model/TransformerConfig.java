package dev.pigment.core.model;

import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * diffusers' {@code transformer/config.json} for Z-Image-style DiTs, with {@code ZImageTransformer2DModel}'s
 * key names and defaults (transformer_z_image.py), as far as the Java side needs them.
 *
 * @param patchSize  {@code all_patch_size[0]}: latent cells per token side (2)
 * @param inChannels {@code in_channels}: latent channels (16)
 * @param axesDims   {@code axes_dims}: RoPE dims per position axis ([32, 48, 48])
 * @param axesLens   {@code axes_lens}: positions each axis can address ([1024, 512, 512])
 * @param ropeTheta  {@code rope_theta} (256)
 * @param capFeatDim {@code cap_feat_dim}: the text encoder's hidden size (2560)
 */
public record TransformerConfig(int patchSize, int inChannels, int[] axesDims, int[] axesLens, double ropeTheta,
                                int capFeatDim) {
    public static final TransformerConfig Z_IMAGE =
            new TransformerConfig(2, 16, new int[] {32, 48, 48}, new int[] {1024, 512, 512}, 256.0, 2560);

    public TransformerConfig {
        axesDims = axesDims.clone();
        axesLens = axesLens.clone();
    }

    @Override
    public int[] axesDims() {
        return axesDims.clone();
    }

    @Override
    public int[] axesLens() {
        return axesLens.clone();
    }

    /** Reads {@code transformer/config.json}; Z-Image's values for absent keys (or an absent file). */
    public static TransformerConfig read(Path modelFolder) {
        Path cfg = modelFolder.resolve(ModelComponent.TRANSFORMER.folder()).resolve("config.json");
        JsonObject o = ComponentConfigs.read(cfg).orElse(null);
        if (o == null) {
            return Z_IMAGE;
        }
        int[] patch = ComponentConfigs.integers(cfg, o, "all_patch_size", new int[] {Z_IMAGE.patchSize});
        int in = ComponentConfigs.integer(cfg, o, "in_channels", Z_IMAGE.inChannels);
        int[] dims = ComponentConfigs.integers(cfg, o, "axes_dims", Z_IMAGE.axesDims);
        int[] lens = ComponentConfigs.integers(cfg, o, "axes_lens", Z_IMAGE.axesLens);
        double theta = ComponentConfigs.number(cfg, o, "rope_theta", Z_IMAGE.ropeTheta);
        int cap = ComponentConfigs.integer(cfg, o, "cap_feat_dim", Z_IMAGE.capFeatDim);
        if (patch.length == 0 || patch[0] < 1 || patch[0] > 16) {
            throw ComponentConfigs.bad(cfg, "all_patch_size", Arrays.toString(patch), "a list starting with 1..16");
        }
        if (in < 1 || in > 256) {
            throw ComponentConfigs.bad(cfg, "in_channels", in, "from 1 to 256");
        }
        if (dims.length != 3 || lens.length != 3) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, cfg + ": axes_dims " + Arrays.toString(dims) + " and axes_lens "
                    + Arrays.toString(lens) + " must each have 3 entries (caption/frame, height, width).");
        }
        return new TransformerConfig(patch[0], in, dims, lens, theta, cap);
    }
}
