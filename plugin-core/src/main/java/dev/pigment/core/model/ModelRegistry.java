package dev.pigment.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds model folders under a list of roots, describes them and checks them.
 *
 * <p>A model's id is its folder's name. Ids are plain names (letters, digits, '.', '_', '-')
 * and always resolve to a folder directly inside a root, never through a link that leaves
 * the root: ids arrive from editors and sockets, so they must not reach arbitrary folders.
 * A user who means a folder elsewhere gives its absolute path instead.
 *
 * <p>Nothing is cached: every call looks at the disk, so models added or removed while the
 * program runs are seen.
 */
public final class ModelRegistry {
    /** The weight-free engines; always listed, needs no folder. Reserved: a folder of this name is ignored. */
    public static final String CLASSIC_ID = "classic";
    /** Environment variable: more roots, separated like PATH. */
    public static final String ENV_VAR = "PIGMENT_MODELS";
    /** System property: the install folder whose {@code models/} is the first root. */
    public static final String HOME_PROPERTY = "pigment.home";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Comparator<ModelInfo> BY_ID =
            Comparator.comparing(ModelInfo::id, String.CASE_INSENSITIVE_ORDER).thenComparing(ModelInfo::id);

    private final List<Path> roots;

    /** @param roots folders whose immediate sub-folders are models, searched in this order; missing ones are skipped */
    public ModelRegistry(List<Path> roots) {
        Set<Path> unique = new LinkedHashSet<>();
        for (Path root : Objects.requireNonNull(roots, "roots")) {
            unique.add(Objects.requireNonNull(root, "root").toAbsolutePath().normalize());
        }
        this.roots = List.copyOf(unique);
    }

    /**
     * The usual roots: {@code <install>/models} (install = system property {@value #HOME_PROPERTY},
     * else the current directory), every entry of {@code $PIGMENT_MODELS}, then {@code extraRoots}.
     */
    public static ModelRegistry standard(List<Path> extraRoots) {
        return standard(extraRoots, System.getenv(), System.getProperty(HOME_PROPERTY));
    }

    /** As {@link #standard(List)}, with the environment and install folder given (for tests and embedding). */
    public static ModelRegistry standard(List<Path> extraRoots, Map<String, String> env, String pigmentHome) {
        List<Path> roots = new ArrayList<>();
        Path home = pigmentHome == null || pigmentHome.isBlank() ? Path.of("") : path(pigmentHome, HOME_PROPERTY);
        roots.add(home.resolve("models"));
        String list = env.get(ENV_VAR);
        if (list != null) {
            for (String entry : list.split(Pattern.quote(File.pathSeparator))) {
                if (!entry.isBlank()) {
                    roots.add(path(entry.trim(), ENV_VAR));
                }
            }
        }
        roots.addAll(Objects.requireNonNull(extraRoots, "extraRoots"));
        return new ModelRegistry(roots);
    }

    private static Path path(String s, String source) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw PigmentException.badRequest(source + " holds '" + s + "', which is not a valid path: " + e.getReason()
                    + ". Correct it.");
        }
    }

    /** Absolute, in search order (earlier roots win when two hold the same id). */
    public List<Path> roots() {
        return roots;
    }

    /** True for a string usable as a model id (and as a component folder name). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The classic engines' entry. */
    public static ModelInfo classic() {
        return new ModelInfo(CLASSIC_ID, null, "Classic engines (no model weights)", ModelFamily.CLASSIC, null, 0,
                Manifest.empty(), Recommended.defaults(ModelFamily.CLASSIC));
    }

    /**
     * Every folder directly inside a root that looks like a model (has model_index.json,
     * pigment.json, unet/ or transformer/), plus {@link #CLASSIC_ID}; sorted by id. Listed
     * models are not validated (see {@link #validate}); a broken pigment.json shows as none.
     */
    public List<ModelInfo> list() {
        List<ModelInfo> models = new ArrayList<>();
        models.add(classic());
        Set<String> seen = new HashSet<>();
        seen.add(CLASSIC_ID);
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                entries.forEach(children::add);
            } catch (IOException | RuntimeException e) {
                continue; // an unreadable root is as good as a missing one
            }
            children.sort(null);
            for (Path child : children) {
                String id = child.getFileName().toString();
                if (!isValidId(id) || id.equalsIgnoreCase(CLASSIC_ID) || seen.contains(id)
                        || !Files.isDirectory(child) || realPathOutside(root, child) != null
                        || !ModelValidator.looksLikeModel(child)) {
                    continue;
                }
                seen.add(id);
                models.add(describe(id, child, null));
            }
        }
        models.sort(BY_ID);
        return List.copyOf(models);
    }

    /**
     * The model with this id, or at this absolute folder path, checked and ready to load.
     *
     * @throws PigmentException BAD_REQUEST if {@code idOrPath} is neither a valid id nor an absolute path;
     *                          MODEL_NOT_FOUND naming the roots searched and the ids available;
     *                          MODEL_INVALID with {@link ValidationReport#explain()}, or if the id's folder
     *                          is a link leading outside its root
     */
    public ModelInfo resolve(String idOrPath) {
        if (idOrPath == null || idOrPath.isBlank()) {
            throw PigmentException.badRequest("No model given: pass a model id (see 'pigment models') or 'classic'.");
        }
        String s = idOrPath.trim();
        if (s.equalsIgnoreCase(CLASSIC_ID)) {
            return classic();
        }
        if (isValidId(s)) {
            return resolveId(s);
        }
        Path p;
        try {
            p = Path.of(s);
        } catch (InvalidPathException e) {
            p = null;
        }
        if (p != null && p.isAbsolute()) {
            return resolvePath(p);
        }
        throw PigmentException.badRequest("'" + s + "' is not a model id: an id is the name of a folder directly inside"
                + " a model folder (letters, digits, '.', '_' and '-', starting with a letter or digit) and cannot"
                + " lead anywhere else. Run 'pigment models' to see the ids; for a model stored elsewhere give its"
                + " absolute path.");
    }

    /**
     * A model folder given directly (e.g. on the command line). Its id is its folder name if that
     * is how the roots find it, else its absolute path.
     *
     * @throws PigmentException MODEL_NOT_FOUND if there is no such folder; MODEL_INVALID if it is not a usable model
     */
    public ModelInfo resolvePath(Path folder) {
        Path abs = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new PigmentException(ErrorCode.MODEL_NOT_FOUND, "Model folder " + abs
                    + (Files.exists(abs) ? " is a file, not a folder" : " does not exist")
                    + ": give the folder that holds model_index.json.");
        }
        ValidationReport report = requireValid(abs);
        return describe(idFor(abs), abs, report);
    }

    /** Checks a folder; with {@code checkHashes}, every file pigment.json lists a sha256 for is read in full. */
    public ValidationReport validate(Path folder, boolean checkHashes) {
        return ModelValidator.validate(Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize(), checkHashes);
    }

    private ModelInfo resolveId(String id) {
        for (Path root : roots) {
            Path candidate = root.resolve(id);
            if (!Files.isDirectory(candidate)) {
                continue;
            }
            Path outside = realPathOutside(root, candidate);
            if (outside != null) {
                throw new PigmentException(ErrorCode.MODEL_INVALID, "Model id '" + id + "' refers to " + candidate
                        + ", a link to " + outside + " outside the model folder " + root
                        + ": ids cannot lead out of their model folder. Move the model into " + root
                        + ", or give its absolute path instead of the id.");
            }
            return describe(id, candidate, requireValid(candidate));
        }
        return resolveIgnoringCase(id);
    }

    /**
     * Ids are typed by people (macros, Krita's box, the shell), so 'DEMO' finds 'demo' when that is the
     * only id spelt so; an exact-case match was tried first and wins. Two ids differing only in case
     * cannot be told apart, so that is refused naming both.
     */
    private ModelInfo resolveIgnoringCase(String id) {
        List<String> matches = list().stream().map(ModelInfo::id)
                .filter(i -> i.equalsIgnoreCase(id)).distinct().toList();
        if (matches.size() > 1) {
            throw PigmentException.badRequest("Model id '" + id + "' matches " + String.join(" and ",
                    matches.stream().map(m -> "'" + m + "'").toList()) + ", which differ only in case: give the"
                    + " id in its exact case, or rename one of the folders.");
        }
        if (matches.isEmpty()) {
            throw notFound(id);
        }
        return resolveId(matches.get(0));
    }

    private ValidationReport requireValid(Path folder) {
        ValidationReport report = validate(folder, false);
        if (!report.ok()) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, report.explain());
        }
        return report;
    }

    private PigmentException notFound(String id) {
        List<String> ids = list().stream().map(ModelInfo::id).toList();
        String searched = roots.isEmpty() ? "no model folders are configured"
                : "looked in " + roots.stream().map(r -> Files.isDirectory(r) ? r.toString() : r + " (does not exist)")
                        .collect(Collectors.joining(", "));
        return new PigmentException(ErrorCode.MODEL_NOT_FOUND, "No model '" + id + "': " + searched
                + ". Available: " + String.join(", ", ids) + "."
                + " Put the model's folder into one of those folders (or add its parent folder to " + ENV_VAR
                + "), or give the folder's absolute path.");
    }

    /** The real path of {@code child} if it leaves {@code root} (through a link), else null. */
    private static Path realPathOutside(Path root, Path child) {
        try {
            Path realRoot = root.toRealPath();
            Path real = child.toRealPath();
            return real.startsWith(realRoot) && !real.equals(realRoot) ? null : real;
        } catch (IOException e) {
            return child; // cannot prove it stays inside: treat as outside
        }
    }

    /** The id a directly given folder would be found under, else its absolute path. */
    private String idFor(Path folder) {
        String name = folder.getFileName() == null ? null : folder.getFileName().toString();
        if (isValidId(name) && !name.equalsIgnoreCase(CLASSIC_ID)) {
            try {
                Path real = folder.toRealPath();
                for (Path root : roots) {
                    Path candidate = root.resolve(name);
                    if (Files.isDirectory(candidate)) {
                        // the first root holding this name is the one the id resolves to
                        return realPathOutside(root, candidate) == null && candidate.toRealPath().equals(real)
                                ? name : folder.toString();
                    }
                }
            } catch (IOException e) {
                return folder.toString();
            }
        }
        return folder.toString();
    }

    /** Builds the entry; {@code report} is null when listing (no validation: cheap, tolerant). */
    private static ModelInfo describe(String id, Path folder, ValidationReport report) {
        Manifest manifest = Manifest.empty();
        Path manifestFile = folder.resolve(Manifest.FILE_NAME);
        if (Files.isRegularFile(manifestFile)) {
            try {
                manifest = Manifest.parse(manifestFile, new ArrayList<>());
            } catch (JsonFiles.JsonProblem e) {
                manifest = Manifest.empty(); // validation reports it; listing must not fail on one bad folder
            }
        }
        ModelFamily family = report != null ? report.family()
                : ModelValidator.detectFamily(folder, manifest.family(), pipelineClass(folder), new ArrayList<>());
        String displayName = manifest.displayName() != null ? manifest.displayName()
                : folder.getFileName() != null ? folder.getFileName().toString() : id;
        Recommended partial = manifest.recommended() != null ? manifest.recommended() : Recommended.UNSET;
        Recommended recommended = partial.orElse(folderDefaults(folder, family));
        return new ModelInfo(id, folder, displayName, family, manifest.licence(), sizeOf(folder), manifest, recommended);
    }

    private static String pipelineClass(Path folder) {
        Path index = folder.resolve(ModelValidator.MODEL_INDEX);
        if (!Files.isRegularFile(index)) {
            return null;
        }
        try {
            return ModelValidator.className(JsonFiles.readObject(index));
        } catch (JsonFiles.JsonProblem e) {
            return null;
        }
    }

    /**
     * The family defaults, with the size the UNet was trained at when its config says so
     * (optimum writes unet/config.json; sample_size is in latent pixels, 8 image pixels each).
     */
    static Recommended folderDefaults(Path folder, ModelFamily family) {
        Recommended defaults = Recommended.defaults(family);
        if (family.denoiserComponent() != ModelComponent.UNET) {
            return defaults;
        }
        try {
            int[] size = UNetConfig.read(folder).sampleSize();
            if (size != null && size[0] >= 8 && size[1] >= 8 && size[0] <= 1024 && size[1] <= 1024) {
                return new Recommended(size[1] * 8, size[0] * 8, defaults.steps(), defaults.guidance(), defaults.scheduler());
            }
        } catch (RuntimeException e) {
            // an unreadable config leaves the family defaults; validation reports broken files
        }
        return defaults;
    }

    /** Total size of the files in the folder, following links (diffusers caches link to blobs). */
    static long sizeOf(Path folder) {
        long[] total = {0};
        try {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile()) {
                                total[0] += attrs.size();
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            return FileVisitResult.CONTINUE; // loops and unreadable entries count as nothing
                        }
                    });
        } catch (IOException e) {
            // walkFileTree only throws for the start folder; its size is then unknown, shown as what was summed
        }
        return total[0];
    }
}
