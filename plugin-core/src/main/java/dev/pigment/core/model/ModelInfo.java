package dev.pigment.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model the registry found: where it is, what it is and how to run it by default.
 *
 * @param id          the name to ask for it by: its folder name, {@link ModelRegistry#CLASSIC_ID},
 *                    or the absolute folder path for a folder outside every root
 * @param folder      the model folder; null only for the classic engines
 * @param displayName the manifest's name, else the id
 * @param family      declared or detected
 * @param licence     from the manifest; null if not given
 * @param sizeBytes   total size of the files in the folder
 * @param manifest    the folder's pigment.json, {@link Manifest#empty()} if it has none
 * @param recommended complete: the manifest's values over the family's defaults
 */
public record ModelInfo(String id, Path folder, String displayName, ModelFamily family, String licence,
                        long sizeBytes, Manifest manifest, Recommended recommended) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(recommended, "recommended");
        if (!recommended.isComplete()) {
            throw new IllegalArgumentException("recommended settings must be complete: " + recommended);
        }
        if ((folder == null) != (family == ModelFamily.CLASSIC)) {
            throw new IllegalArgumentException("only the classic engines have no folder: " + id);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes " + sizeBytes);
        }
    }

    public boolean isClassic() {
        return family == ModelFamily.CLASSIC;
    }

    /** {@code folder/component/model.onnx}, e.g. {@code componentFile("unet")}. */
    public Path componentFile(String component) {
        return componentDir(component).resolve("model.onnx");
    }

    public Path componentFile(ModelComponent component) {
        return componentFile(component.folder());
    }

    /** True if {@code folder/component/model.onnx} is a file. */
    public boolean hasComponent(String component) {
        return !isClassic() && Files.isRegularFile(componentFile(component));
    }

    public boolean hasComponent(ModelComponent component) {
        return hasComponent(component.folder());
    }

    /** {@code folder/component/config.json} as optimum writes it (e.g. the VAE's scaling_factor); may not exist. */
    public Path componentConfig(String component) {
        return componentDir(component).resolve("config.json");
    }

    /** {@code folder/tokenizer}: tokenizer.json, or vocab.json + merges.txt. */
    public Path tokenizerDir() {
        return requireFolder().resolve("tokenizer");
    }

    /** {@code folder/scheduler/scheduler_config.json}. */
    public Path schedulerConfig() {
        return requireFolder().resolve("scheduler").resolve("scheduler_config.json");
    }

    /** {@code folder/model_index.json}. */
    public Path modelIndex() {
        return requireFolder().resolve("model_index.json");
    }

    private Path componentDir(String component) {
        Objects.requireNonNull(component, "component");
        if (!ModelRegistry.isValidId(component)) {
            throw new IllegalArgumentException("not a component folder name: '" + component + "'");
        }
        return requireFolder().resolve(component);
    }

    private Path requireFolder() {
        if (folder == null) {
            throw new IllegalStateException("the classic engines have no model files");
        }
        return folder;
    }
}
