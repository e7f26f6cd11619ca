package dev.pigment.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.api.PigmentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks one model folder and says, per file, what is missing or wrong and how to fix it. */
final class ModelValidator {
    static final String MODEL_INDEX = "model_index.json";
    static final String TOKENIZER = "tokenizer";
    static final String SCHEDULER_CONFIG = "scheduler/scheduler_config.json";
    private static final String EXPORT_HINT = "optimum-cli export onnx --model <hub id> <folder> exports every component"
            + " (see docs/model-layout.md)";

    private final Path folder;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private ModelValidator(Path folder) {
        this.folder = folder;
    }

    static ValidationReport validate(Path folder, boolean checkHashes) {
        return new ModelValidator(folder).run(checkHashes);
    }

    /** A folder is a model candidate if it has any of the files only a model folder has. */
    static boolean looksLikeModel(Path folder) {
        return Files.isRegularFile(folder.resolve(MODEL_INDEX))
                || Files.isRegularFile(folder.resolve(Manifest.FILE_NAME))
                || Files.isDirectory(folder.resolve(ModelComponent.UNET.folder()))
                || Files.isDirectory(folder.resolve(ModelComponent.TRANSFORMER.folder()));
    }

    private ValidationReport run(boolean checkHashes) {
        if (!Files.isDirectory(folder)) {
            problem(".", Files.exists(folder) ? "is a file, not a folder" : "does not exist",
                    "Give the folder that holds model_index.json.");
            return report(ModelFamily.STABLE_DIFFUSION);
        }
        if (!looksLikeModel(folder)) {
            problem(".", "not a model folder: it has none of model_index.json, pigment.json, unet/, transformer/",
                    "Give the top folder of a diffusers ONNX export (the one holding model_index.json);"
                            + " see docs/model-layout.md.");
            return report(ModelFamily.STABLE_DIFFUSION);
        }
        Manifest manifest = readManifest();
        String classHint = readModelIndex();
        ModelFamily family = detectFamily(folder, manifest.family(), classHint, warnings);
        if (family == ModelFamily.CLASSIC) {
            problem(Manifest.FILE_NAME, "declares family 'classic', which is the built-in engines and has no folder",
                    "Set \"family\" to stable-diffusion or flow-match-dit, or remove the key.");
            return report(family);
        }
        ExportConventions conventions = manifest.export() != null ? manifest.export() : ExportConventions.Z_IMAGE;
        for (ModelComponent c : ModelComponent.required(family)) {
            checkComponent(c, conventions);
        }
        if (Files.exists(folder.resolve(ModelComponent.VAE_ENCODER.folder()))) {
            checkComponent(ModelComponent.VAE_ENCODER, conventions);
        } else {
            warnings.add("vae_encoder/ is missing: text-to-image works, but image-to-image and inpainting need it"
                    + " (export it with the other components)");
        }
        if (family == ModelFamily.FLOW_MATCH_DIT) {
            checkDitConfigs();
        }
        checkTokenizer();
        checkJson(SCHEDULER_CONFIG, true, "Copy scheduler/scheduler_config.json from the model's original repository"
                + " (diffusers format), or re-export: " + EXPORT_HINT + ".");
        if (checkHashes) {
            checkHashes(manifest.sha256());
        }
        return report(family);
    }

    private ValidationReport report(ModelFamily family) {
        return new ValidationReport(folder, family, problems, warnings);
    }

    private void problem(String file, String what, String fix) {
        problems.add(new Problem(file, what, fix));
    }

    private Manifest readManifest() {
        Path file = folder.resolve(Manifest.FILE_NAME);
        if (!Files.exists(file)) {
            return Manifest.empty();
        }
        try {
            return Manifest.parse(file, warnings);
        } catch (JsonFiles.JsonProblem e) {
            problem(Manifest.FILE_NAME, e.getMessage(), "Correct the file (its keys are in docs/model-layout.md) or delete it.");
            return Manifest.empty();
        }
    }

    /** Checks model_index.json and returns its {@code _class_name}, a family hint, or null. */
    private String readModelIndex() {
        Path file = folder.resolve(MODEL_INDEX);
        if (!Files.isRegularFile(file)) {
            problem(MODEL_INDEX, "missing", "Copy model_index.json from the model's original repository, or re-export: "
                    + EXPORT_HINT + ".");
            return null;
        }
        try {
            return className(JsonFiles.readObject(file));
        } catch (JsonFiles.JsonProblem e) {
            problem(MODEL_INDEX, e.getMessage(), "Fix the file or copy it again from the model's original repository.");
            return null;
        }
    }

    static String className(JsonObject modelIndex) {
        JsonElement e = modelIndex.get("_class_name");
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /**
     * pigment.json's family wins; else the denoiser folder decides (transformer/ or unet/);
     * else model_index.json's pipeline class. Disagreements become warnings.
     */
    static ModelFamily detectFamily(Path folder, ModelFamily declared, String classHint, List<String> warnings) {
        boolean unet = Files.isDirectory(folder.resolve(ModelComponent.UNET.folder()));
        boolean transformer = Files.isDirectory(folder.resolve(ModelComponent.TRANSFORMER.folder()));
        ModelFamily fromFolders = unet == transformer ? null
                : transformer ? ModelFamily.FLOW_MATCH_DIT : ModelFamily.STABLE_DIFFUSION;
        ModelFamily fromHint = ModelFamily.fromPipelineClass(classHint);
        if (unet && transformer) {
            warnings.add("the folder has both unet/ and transformer/; "
                    + (declared != null ? "pigment.json's family decides" : "set \"family\" in pigment.json to choose"));
        }
        if (declared != null) {
            if (fromFolders != null && fromFolders != declared && declared != ModelFamily.CLASSIC) {
                warnings.add("pigment.json says family '" + declared.id() + "' but the folder has "
                        + (transformer ? "transformer/" : "unet/") + ", which suggests '" + fromFolders.id() + "'");
            }
            return declared;
        }
        if (fromFolders != null) {
            if (fromHint != null && fromHint != fromFolders) {
                warnings.add("model_index.json names pipeline " + classHint + " but the folder has "
                        + (transformer ? "transformer/" : "unet/") + "; treating it as '" + fromFolders.id() + "'");
            }
            return fromFolders;
        }
        return fromHint != null ? fromHint : ModelFamily.STABLE_DIFFUSION;
    }

    private void checkComponent(ModelComponent component, ExportConventions conventions) {
        String name = component.folder();
        Path dir = folder.resolve(name);
        if (!Files.isDirectory(dir)) {
            problem(name + "/", "missing", "Export the " + name + " component too: " + EXPORT_HINT + ".");
            return;
        }
        String rel = name + "/model.onnx";
        Path onnx = dir.resolve("model.onnx");
        if (!Files.isRegularFile(onnx)) {
            List<String> others = onnxFilesIn(dir);
            problem(rel, "missing" + (others.isEmpty() ? "" : " (the folder has " + String.join(", ", others) + ")"),
                    others.size() == 1 ? "Rename " + name + "/" + others.get(0) + " to model.onnx."
                            : "Put the " + name + " ONNX export there as model.onnx: " + EXPORT_HINT + ".");
            return;
        }
        OnnxModelHeader header;
        try {
            header = OnnxModelHeader.read(onnx);
        } catch (OnnxModelHeader.Unreadable e) {
            problem(rel, e.what, e.fix);
            return;
        }
        List<String> names = header.inputNames();
        List<String> required = component.requiredInputs(conventions);
        List<String> absent = required.stream().filter(n -> !names.contains(n)).toList();
        if (!absent.isEmpty()) {
            problem(rel, "has no input" + (absent.size() > 1 ? "s" : "") + " named '" + String.join("', '", absent)
                            + "' (its inputs: " + describeInputs(header) + ")",
                    "Use an export with diffusers' input names (" + String.join(", ", required)
                            + "), e.g. from optimum-cli export onnx; the pipeline feeds inputs by name.");
        }
        for (OnnxModelHeader.ExternalData data : header.externalData()) {
            checkExternalData(name, data);
        }
        Path config = dir.resolve("config.json");
        if (Files.exists(config)) {
            checkJson(name + "/config.json", false, "Fix the file or copy it again from the export.");
        }
    }

    /** The typed configs the DiT pipeline reads, read now so --check explains a bad value before a generation. */
    private void checkDitConfigs() {
        TransformerConfig transformer;
        VaeConfig vae;
        try {
            transformer = TransformerConfig.read(folder);
            vae = VaeConfig.read(folder);
        } catch (PigmentException e) {
            problem("transformer/config.json", e.getMessage(), "Copy the config.json files from the export again.");
            return;
        }
        if (vae.latentChannels() > 0 && vae.latentChannels() != transformer.inChannels()) {
            problem("vae_decoder/config.json", "latent_channels is " + vae.latentChannels() + " but the transformer's"
                    + " in_channels is " + transformer.inChannels(), "Use the VAE the transformer was trained with.");
        }
        int headDim = Arrays.stream(transformer.axesDims()).sum();
        if (Arrays.stream(transformer.axesDims()).anyMatch(d -> d <= 0 || d % 2 != 0)) {
            problem("transformer/config.json", "axes_dims " + Arrays.toString(transformer.axesDims())
                    + " must be positive and even (sum " + headDim + ")", "Copy the config.json from the export again.");
        }
    }

    private static String describeInputs(OnnxModelHeader header) {
        if (header.inputs().isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (OnnxModelHeader.ValueInfo v : header.inputs()) {
            parts.add(v.toString());
        }
        return String.join("; ", parts);
    }

    private void checkExternalData(String component, OnnxModelHeader.ExternalData data) {
        String location = data.location();
        if (!Manifest.isSafeRelativePath(location)) {
            problem(component + "/model.onnx", "keeps its weights at '" + location + "', outside its folder",
                    "Re-save the model with its weight file beside model.onnx (ONNX Runtime refuses paths"
                            + " that leave the model's folder).");
            return;
        }
        String rel = component + "/" + location;
        Path file = folder.resolve(component).resolve(location);
        if (!Files.isRegularFile(file)) {
            problem(rel, "missing (" + component + "/model.onnx keeps its weights there)",
                    "Copy " + location + " from the export into " + component + "/, next to model.onnx.");
            return;
        }
        try {
            long size = Files.size(file);
            if (size < data.minimumLength()) {
                problem(rel, "truncated: " + size + " bytes, but " + component + "/model.onnx reads up to byte "
                        + data.minimumLength(), "The copy or download did not finish: fetch the file again.");
            }
        } catch (IOException e) {
            problem(rel, "cannot be read (" + e.getMessage() + ")", "Check the file's permissions.");
        }
    }

    private static List<String> onnxFilesIn(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.onnx")) {
            for (Path p : files) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    private void checkTokenizer() {
        Path dir = folder.resolve(TOKENIZER);
        if (!Files.isDirectory(dir)) {
            problem(TOKENIZER + "/", "missing",
                    "Copy the tokenizer/ folder (tokenizer.json, or vocab.json and merges.txt) from the model's original"
                            + " repository; optimum-cli export onnx copies it.");
            return;
        }
        if (Files.exists(dir.resolve("tokenizer.json"))) {
            checkJson(TOKENIZER + "/tokenizer.json", true, "Copy tokenizer.json again from the model's repository.");
            return;
        }
        Set<String> missing = new LinkedHashSet<>();
        for (String f : List.of("vocab.json", "merges.txt")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (missing.size() == 2) {
            problem(TOKENIZER + "/", "has neither tokenizer.json nor vocab.json + merges.txt",
                    "Copy the tokenizer files from the model's original repository (its tokenizer/ folder).");
        } else if (!missing.isEmpty()) {
            String m = missing.iterator().next();
            problem(TOKENIZER + "/" + m, "missing (vocab.json and merges.txt belong together)",
                    "Copy " + m + " from the model's original repository, or use a tokenizer.json instead.");
        } else {
            checkJson(TOKENIZER + "/vocab.json", true, "Copy vocab.json again from the model's repository.");
        }
    }

    /** Reports a missing (if required) or malformed JSON file given relative to the folder. */
    private void checkJson(String rel, boolean required, String fix) {
        Path file = folder.resolve(rel);
        if (!Files.isRegularFile(file)) {
            if (required) {
                problem(rel, "missing", fix);
            }
            return;
        }
        try {
            JsonFiles.checkSyntax(file);
        } catch (JsonFiles.JsonProblem e) {
            problem(rel, e.getMessage(), fix);
        }
    }

    private void checkHashes(Map<String, String> expected) {
        if (expected.isEmpty()) {
            warnings.add("pigment.json lists no sha256 digests, so the files were not verified");
            return;
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String rel = e.getKey();
            Path file = folder.resolve(rel);
            if (!Files.isRegularFile(file)) {
                problem(rel, "missing (pigment.json lists its sha256)",
                        "Copy the file back, or remove its line from pigment.json's sha256 if it is not needed.");
                continue;
            }
            try {
                String actual = sha256(file);
                if (!actual.equals(e.getValue())) {
                    problem(rel, "sha256 mismatch: expected " + e.getValue() + ", found " + actual,
                            "The file is damaged or a different version: fetch it again (or update pigment.json"
                                    + " if you replaced it on purpose).");
                }
            } catch (IOException ex) {
                problem(rel, "cannot be read to check its sha256 (" + ex.getMessage() + ")", "Check the file's permissions.");
            }
        }
    }

    /** Streams the file through the digest: model files are gigabytes. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
