package dev.pigment.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelValidationTest {
    @TempDir
    Path tmp;

    private final ModelRegistry registry = new ModelRegistry(List.of());

    private ValidationReport validate(Path folder) {
        return registry.validate(folder, false);
    }

    /** The only problem is for {@code file}, and its text contains every part. */
    private static Problem onlyProblem(ValidationReport r, String file, String... parts) {
        assertEquals(1, r.problems().size(), r.explain());
        Problem p = r.problems().get(0);
        assertEquals(file, p.file(), r.explain());
        for (String part : parts) {
            assertTrue(p.toString().contains(part), "missing '" + part + "' in: " + p);
        }
        assertFalse(p.fix().isBlank());
        return p;
    }

    @Test
    void completeFoldersPass() {
        ValidationReport sd = validate(Fixtures.stableDiffusion(tmp, "sd"));
        assertTrue(sd.ok(), sd.explain());
        assertEquals(ModelFamily.STABLE_DIFFUSION, sd.family());
        assertEquals(List.of(), sd.warnings());
        assertTrue(sd.explain().contains("is usable"), sd.explain());

        ValidationReport dit = validate(Fixtures.flowMatchDit(tmp, "dit"));
        assertTrue(dit.ok(), dit.explain());
        assertEquals(ModelFamily.FLOW_MATCH_DIT, dit.family());
        // a DiT without vae_encoder: usable, with a warning about img2img
        assertEquals(1, dit.warnings().size(), dit.explain());
        assertTrue(dit.warnings().get(0).contains("vae_encoder"), dit.explain());
    }

    @Test
    void missingVaeEncoderIsOnlyAWarning() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        delete(m.resolve("vae_encoder"));
        ValidationReport r = validate(m);
        assertTrue(r.ok(), r.explain());
        assertTrue(r.warnings().get(0).contains("image-to-image and inpainting need it"), r.explain());
    }

    @Test
    void missingModelIndex() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Files.delete(m.resolve("model_index.json"));
        onlyProblem(validate(m), "model_index.json", "missing", "optimum-cli export onnx");
    }

    @Test
    void missingComponentFolder() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        delete(m.resolve("text_encoder"));
        ValidationReport r = validate(m);
        onlyProblem(r, "text_encoder/", "missing", "Export the text_encoder component");
        assertTrue(r.explain().startsWith("Model folder " + m + " is not usable:\n - text_encoder/: missing. Fix: "),
                r.explain());
    }

    @Test
    void missingModelOnnx() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Files.delete(m.resolve("vae_decoder/model.onnx"));
        onlyProblem(validate(m), "vae_decoder/model.onnx", "missing");
    }

    @Test
    void onnxUnderAnotherNameSuggestsTheRename() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Files.move(m.resolve("unet/model.onnx"), m.resolve("unet/model_fp16.onnx"));
        onlyProblem(validate(m), "unet/model.onnx", "missing (the folder has model_fp16.onnx)",
                "Rename unet/model_fp16.onnx to model.onnx");
    }

    @Test
    void missingDenoiserFolderFollowsTheFamilyHint() throws IOException {
        Path sd = Fixtures.stableDiffusion(tmp, "sd");
        delete(sd.resolve("unet"));
        onlyProblem(validate(sd), "unet/", "missing");

        Path dit = Fixtures.flowMatchDit(tmp, "dit");
        delete(dit.resolve("transformer"));
        ValidationReport r = validate(dit);
        assertEquals(ModelFamily.FLOW_MATCH_DIT, r.family(), "ZImagePipeline in model_index.json");
        onlyProblem(r, "transformer/", "missing");
    }

    @Test
    void tokenizerProblems() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        delete(m.resolve("tokenizer"));
        onlyProblem(validate(m), "tokenizer/", "missing", "tokenizer.json, or vocab.json and merges.txt");

        Files.createDirectories(m.resolve("tokenizer"));
        onlyProblem(validate(m), "tokenizer/", "neither tokenizer.json nor vocab.json + merges.txt");

        Fixtures.write(m.resolve("tokenizer/vocab.json"), "{\"a\": 0}");
        onlyProblem(validate(m), "tokenizer/merges.txt", "missing");

        Fixtures.write(m.resolve("tokenizer/merges.txt"), "#version: 0.2\na b\n");
        assertTrue(validate(m).ok(), "vocab.json + merges.txt is a complete tokenizer");

        Fixtures.write(m.resolve("tokenizer/tokenizer.json"), "{\"version\": \"1.0\", \"model\": {");
        onlyProblem(validate(m), "tokenizer/tokenizer.json", "invalid JSON", "truncated");
    }

    @Test
    void schedulerConfigProblems() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.write(m.resolve("scheduler/scheduler_config.json"), "{\n  \"beta_start\": 0.00085\n  \"beta_end\": 0.012\n}");
        onlyProblem(validate(m), "scheduler/scheduler_config.json", "invalid JSON at line 3");

        delete(m.resolve("scheduler"));
        onlyProblem(validate(m), "scheduler/scheduler_config.json", "missing");
    }

    @Test
    void malformedModelIndexNamesTheLine() {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.write(m.resolve("model_index.json"), "{\n  \"_class_name\": \"OnnxStableDiffusionPipeline\",\n  ]\n}");
        onlyProblem(validate(m), "model_index.json", "invalid JSON at line 3");
    }

    @Test
    void wrongInputNamesListTheActualInputs() {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.copy("unet_wrong_names.onnx", m.resolve("unet/model.onnx"));
        onlyProblem(validate(m), "unet/model.onnx", "has no inputs named 'sample', 'timestep', 'encoder_hidden_states'",
                "(its inputs: x float [batch, 4, height, width]; t int64 [1]; context float [batch, sequence, 8])");

        // the UNet in the VAE decoder's place: wrong for the decoder, even though it is a fine ONNX file
        Path m2 = Fixtures.stableDiffusion(tmp, "sd2");
        Fixtures.copy("unet.onnx", m2.resolve("vae_decoder/model.onnx"));
        onlyProblem(validate(m2), "vae_decoder/model.onnx", "has no input named 'latent_sample'");
    }

    @Test
    void unreadableOnnx() {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.write(m.resolve("text_encoder/model.onnx"), "this is not a model\n");
        onlyProblem(validate(m), "text_encoder/model.onnx", "not a valid ONNX model");

        byte[] unet = Fixtures.resource("unet.onnx");
        Fixtures.write(m.resolve("text_encoder/model.onnx"), Fixtures.resource("text_encoder.onnx"));
        Fixtures.write(m.resolve("unet/model.onnx"), Arrays.copyOf(unet, unet.length - 100));
        onlyProblem(validate(m), "unet/model.onnx", "truncated", "fetch the file again");

        Fixtures.write(m.resolve("unet/model.onnx"), "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n");
        onlyProblem(validate(m), "unet/model.onnx", "Git LFS pointer", "git lfs pull");
    }

    @Test
    void externalWeights() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.copy("unet_external/model.onnx", m.resolve("unet/model.onnx"));
        Fixtures.copy("unet_external/weights.pb", m.resolve("unet/weights.pb"));
        assertTrue(validate(m).ok(), validate(m).explain());

        byte[] weights = Fixtures.resource("unet_external/weights.pb");
        Fixtures.write(m.resolve("unet/weights.pb"), Arrays.copyOf(weights, 1000));
        onlyProblem(validate(m), "unet/weights.pb", "truncated: 1000 bytes", "reads up to byte 4112");

        Files.delete(m.resolve("unet/weights.pb"));
        onlyProblem(validate(m), "unet/weights.pb", "missing (unet/model.onnx keeps its weights there)");
    }

    @Test
    void hashes() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        String unetHash = ModelValidator.sha256(m.resolve("unet/model.onnx"));
        // sha256sum of the fixture, computed independently
        assertEquals(64, unetHash.length());
        Fixtures.write(m.resolve("pigment.json"), "{\"sha256\": {\"unet/model.onnx\": \"" + unetHash
                + "\", \"text_encoder/model.onnx\": \"" + "0".repeat(64) + "\"}}");
        ValidationReport checked = registry.validate(m, true);
        Problem p = onlyProblem(checked, "text_encoder/model.onnx", "sha256 mismatch: expected " + "0".repeat(64));
        assertTrue(p.what().contains("found " + ModelValidator.sha256(m.resolve("text_encoder/model.onnx"))));
        assertTrue(registry.validate(m, false).ok(), "hashes are only read when asked");

        Fixtures.write(m.resolve("pigment.json"), "{\"sha256\": {\"unet/model.onnx\": \"" + unetHash
                + "\", \"unet/weights.pb\": \"" + unetHash + "\"}}");
        onlyProblem(registry.validate(m, true), "unet/weights.pb", "missing (pigment.json lists its sha256)");

        Fixtures.write(m.resolve("pigment.json"), "{\"sha256\": {\"unet/model.onnx\": \"" + unetHash + "\"}}");
        assertTrue(registry.validate(m, true).ok());

        Fixtures.write(m.resolve("pigment.json"), "{}");
        ValidationReport none = registry.validate(m, true);
        assertTrue(none.ok());
        assertTrue(none.warnings().get(0).contains("no sha256"), none.explain());
    }

    @Test
    void sha256MatchesKnownDigest() throws IOException {
        Path f = Fixtures.write(tmp.resolve("abc.txt"), "abc");
        // FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelValidator.sha256(f));
    }

    @Test
    void malformedManifestIsAProblem() {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.write(m.resolve("pigment.json"), "{\"name\": \"x\",}");
        onlyProblem(validate(m), "pigment.json", "invalid JSON");
        Fixtures.write(m.resolve("pigment.json"), "{\"family\": \"sdxl\"}");
        onlyProblem(validate(m), "pigment.json", "Unknown model family 'sdxl'");
        Fixtures.write(m.resolve("pigment.json"), "{\"family\": \"classic\"}");
        onlyProblem(validate(m), "pigment.json", "family 'classic'");
    }

    @Test
    void familyDetection() {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Fixtures.write(m.resolve("model_index.json"), "{\"_class_name\": \"ZImagePipeline\"}");
        ValidationReport r = validate(m);
        assertEquals(ModelFamily.STABLE_DIFFUSION, r.family(), "the unet/ folder outweighs the class name");
        assertTrue(r.warnings().get(0).contains("ZImagePipeline"), r.explain());

        Fixtures.write(m.resolve("pigment.json"), "{\"family\": \"flow-match-dit\"}");
        ValidationReport declared = validate(m);
        assertEquals(ModelFamily.FLOW_MATCH_DIT, declared.family(), "pigment.json decides");
        assertTrue(declared.problems().stream().anyMatch(p -> p.file().equals("transformer/")), declared.explain());

        assertEquals(ModelFamily.STABLE_DIFFUSION, ModelFamily.fromPipelineClass("OnnxStableDiffusionInpaintPipeline"));
        assertEquals(ModelFamily.FLOW_MATCH_DIT, ModelFamily.fromPipelineClass("StableDiffusion3Pipeline"));
        assertEquals(null, ModelFamily.fromPipelineClass("KandinskyPipeline"));
    }

    @Test
    void notAModelFolder() {
        Path notModel = tmp.resolve("photos");
        Fixtures.write(notModel.resolve("cat.png"), "png");
        onlyProblem(validate(notModel), ".", "not a model folder", "model_index.json");
        onlyProblem(validate(tmp.resolve("nowhere")), ".", "does not exist");
        onlyProblem(validate(notModel.resolve("cat.png")), ".", "is a file");
    }

    @Test
    void severalProblemsAreAllListed() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Files.delete(m.resolve("model_index.json"));
        delete(m.resolve("tokenizer"));
        delete(m.resolve("scheduler"));
        ValidationReport r = validate(m);
        assertEquals(List.of("model_index.json", "tokenizer/", "scheduler/scheduler_config.json"),
                r.problems().stream().map(Problem::file).toList(), r.explain());
        assertEquals(4, r.explain().split("\n").length, r.explain());
    }

    static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void theDitExportBlockAndTransformerConfigAreCheckedBeforeAnyGeneration() throws IOException {
        Path m = Fixtures.flowMatchDit(tmp, "dit");
        Fixtures.write(m.resolve("pigment.json"), "{\"family\": \"flow-match-dit\", \"export\": {\"timestep\": \"t\"}}");
        Problem p = onlyProblem(validate(m), "pigment.json", "export.timestep", "1-sigma");
        assertTrue(p.what().contains("\"t\""), p.toString());

        Fixtures.write(m.resolve("pigment.json"), "{\"export\": {\"timestep\": \"1-sigma\", \"pad_tokens_to\": 0}}");
        onlyProblem(validate(m), "pigment.json", "export.pad_tokens_to");

        Fixtures.write(m.resolve("pigment.json"), "{\"export\": {\"negate_output\": true}}");
        Fixtures.write(m.resolve("transformer/config.json"), "{\"in_channels\": 16, \"axes_dims\": [32, 48]}");
        onlyProblem(validate(m), "transformer/config.json", "axes_dims");
    }
}
