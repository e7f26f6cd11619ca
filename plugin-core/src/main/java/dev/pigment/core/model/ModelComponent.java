package dev.pigment.core.model;

import java.util.List;

/**
 * The ONNX components of a diffusers ONNX folder, with the graph inputs each must have
 * (the names diffusers' ONNX pipelines and optimum's exports use).
 */
public enum ModelComponent {
    TEXT_ENCODER("text_encoder", List.of("input_ids")),
    UNET("unet", List.of("sample", "timestep", "encoder_hidden_states")),
    /** Pigment's flow-match-dit layout with "rope": "ids" (models/export/zimage_onnx.py, docs/models.md);
     *  {@link #requiredInputs(ExportConventions)} gives the "tables" variant's. */
    TRANSFORMER("transformer", List.of("hidden_states", "timestep", "encoder_hidden_states", "img_ids", "txt_ids",
            "img_pad_mask", "txt_pad_mask")),
    VAE_ENCODER("vae_encoder", List.of("sample")),
    VAE_DECODER("vae_decoder", List.of("latent_sample"));

    private final String folder;
    private final List<String> requiredInputs;

    ModelComponent(String folder, List<String> requiredInputs) {
        this.folder = folder;
        this.requiredInputs = requiredInputs;
    }

    /** The sub-folder name, e.g. {@code unet}; also the string {@link ModelInfo#componentFile(String)} takes. */
    public String folder() {
        return folder;
    }

    /** Inputs the pipeline feeds by name; the graph may have more (e.g. attention_mask). */
    public List<String> requiredInputs() {
        return requiredInputs;
    }

    /**
     * Inputs the pipeline feeds by name under the model's export conventions: a {@code "rope": "tables"}
     * transformer takes cos/sin tables in place of the position ids.
     */
    public List<String> requiredInputs(ExportConventions conventions) {
        if (this != TRANSFORMER || !ExportConventions.ROPE_TABLES.equals(conventions.rope())) {
            return requiredInputs;
        }
        return List.of("hidden_states", "timestep", "encoder_hidden_states", "img_cos", "img_sin", "txt_cos", "txt_sin",
                "img_pad_mask", "txt_pad_mask");
    }

    /** Components a model of this family cannot run without (vae_encoder is only for img2img/inpaint). */
    public static List<ModelComponent> required(ModelFamily family) {
        return family.requiredComponents();
    }
}
