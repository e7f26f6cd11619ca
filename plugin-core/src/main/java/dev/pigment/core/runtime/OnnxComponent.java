package dev.pigment.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDArray;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One ONNX file of a model (text encoder, UNet, VAE half...) run through DJL's OnnxRuntime engine.
 *
 * <p>Route: DJL's engine is started first ({@link DjlOnnxRuntime}); the session is created on DJL's
 * environment with options from {@link RuntimeOptions} and handed to DJL's public
 * {@link OrtSymbolBlock} constructor (which owns and closes it). Runs go to the session directly with
 * their own {@link OrtSession.RunOptions}, so a cancelled run can be terminated inside ONNX Runtime
 * ({@link #terminateRun}); DJL's block offers no run options. Creating the session
 * ourselves (rather than {@code Model.load}) is what lets us read input/output names, element
 * types and shapes from the session metadata: DJL's model offers no getter for the session, and
 * its {@code describeInput()} gives names only. No reflection is involved.
 *
 * <p>Every run gets its own child NDManager, closed when the run ends, so the native input and
 * output tensors of a step never outlive it. Inputs are written into direct buffers kept per
 * input name and reused across steps (ONNX Runtime reads direct buffers in place).
 *
 * <p>Thread-safe: runs of one component are serialised.
 */
public final class OnnxComponent implements AutoCloseable {
    private final String name;
    private final Path file;
    private final RuntimeOptions options;

    private OrtNDManager manager;
    private OrtSymbolBlock block;
    /** The loaded session (owned by {@link #block}, which closes it). */
    private OrtSession session;
    /** Guards {@link #running}: its native handle must not be touched after the run closed it. */
    private final Object runLock = new Object();
    private OrtSession.RunOptions running;
    private boolean terminating;
    /** Kept after unload: the file does not change, and ONE_AT_A_TIME asks for them often. */
    private List<TensorSpec> inputs;
    private List<TensorSpec> outputs;
    private final Map<String, ByteBuffer> inputBuffers = new HashMap<>();
    private long runNanos;
    private int sessionsCreated;
    private SessionCache.Outcome lastLoad;
    private boolean closed;

    public OnnxComponent(String name, Path onnxFile, RuntimeOptions options) {
        this.name = Objects.requireNonNull(name, "name");
        this.file = Objects.requireNonNull(onnxFile, "onnxFile");
        this.options = Objects.requireNonNull(options, "options");
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /**
     * Creates the ONNX Runtime session; does nothing when already loaded.
     *
     * @throws PigmentException {@link ErrorCode#MODEL_INVALID} when the file is missing, unreadable or
     *         not a usable ONNX model; {@link ErrorCode#OUT_OF_MEMORY} when it does not fit in memory
     */
    public synchronized void load() {
        if (closed) {
            throw new IllegalStateException("component '" + name + "' is closed");
        }
        if (block != null) {
            return;
        }
        checkFile();
        Engine engine = DjlOnnxRuntime.engine();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            SessionCache.Loaded loaded = options.sessionCache() == null
                    ? new SessionCache.Loaded(createPlain(env), SessionCache.Outcome.PLAIN)
                    : new SessionCache(options.sessionCache()).load(env, file, options, this::sessionOptions);
            session = loaded.session();
            lastLoad = loaded.outcome();
            sessionsCreated++;
        } catch (OrtException e) {
            throw loadFailure(e);
        }
        try {
            List<TensorSpec> in = describe(session.getInputInfo(), "input");
            List<TensorSpec> out = describe(session.getOutputInfo(), "output");
            OrtNDManager m = (OrtNDManager) engine.newBaseManager();
            m.setName("pigment-" + name);
            block = new OrtSymbolBlock(session, m);
            this.session = session;
            manager = m;
            inputs = in;
            outputs = out;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof PigmentException p) {
                throw p;
            }
            throw new PigmentException(ErrorCode.MODEL_INVALID, "Could not read the inputs and outputs of "
                    + describeFile() + ": " + e.getMessage() + ". The file may be damaged; replace it.", e);
        }
    }

    /** Frees the native session and its memory; the component loads again on next use. */
    public synchronized void unload() {
        if (block != null) {
            block.close();
            manager.close();
            block = null;
            session = null;
            manager = null;
        }
        inputBuffers.clear();
    }

    private OrtSession createPlain(OrtEnvironment env) throws OrtException {
        try (OrtSession.SessionOptions sessionOptions = sessionOptions()) {
            return env.createSession(file.toString(), sessionOptions);
        }
    }

    /** How the last session was made: plainly, from the session cache, or writing a cache entry (null before). */
    synchronized SessionCache.Outcome lastLoad() {
        return lastLoad;
    }

    /** How many ONNX Runtime sessions this component has created (each a full load of its weights). */
    public synchronized int sessionsCreated() {
        return sessionsCreated;
    }

    public synchronized boolean isLoaded() {
        return block != null;
    }

    /** The declared inputs, in the model's order (loads the model the first time). */
    public synchronized List<TensorSpec> inputs() {
        if (inputs == null) {
            load();
        }
        return inputs;
    }

    /** The declared outputs, in the model's order (loads the model the first time). */
    public synchronized List<TensorSpec> outputs() {
        if (outputs == null) {
            load();
        }
        return outputs;
    }

    public Optional<TensorSpec> input(String inputName) {
        return inputs().stream().filter(s -> s.name().equals(inputName)).findFirst();
    }

    public Optional<TensorSpec> output(String outputName) {
        return outputs().stream().filter(s -> s.name().equals(outputName)).findFirst();
    }

    /**
     * Runs the model. Each input is converted to the type the model declares for it (float32 to
     * float16, floats to int64/int32 by rounding, int32 and int64 either way, integers to floats);
     * float16 outputs come back as FLOAT32 tensors.
     *
     * @param feeds one tensor per model input, by input name
     * @return every model output by name, in the model's order
     * @throws PigmentException {@link ErrorCode#MODEL_INVALID} when an input is missing or unknown, or
     *         a shape does not fit what the model declares; {@link ErrorCode#RUNTIME} when ONNX Runtime fails
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> feeds) {
        Objects.requireNonNull(feeds, "feeds");
        load();
        checkNames(feeds);
        try (NDManager runManager = manager.newSubManager()) {
            Map<String, OnnxTensor> in = new LinkedHashMap<>();
            for (TensorSpec spec : inputs) {
                in.put(spec.name(), ((OrtNDArray) toNDArray(runManager, spec, feeds.get(spec.name()))).getTensor());
            }
            long start = System.nanoTime();
            try (OrtSession.Result results = runTerminable(in)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : results) {
                    if (!(e.getValue() instanceof OnnxTensor t)) {
                        throw new PigmentException(ErrorCode.MODEL_INVALID, describeFile() + " returned '" + e.getKey()
                                + "' as " + e.getValue().getType() + "; Pigment reads tensor outputs only.");
                    }
                    out.put(e.getKey(), TensorCodec.read(t, e.getKey()));
                }
                return out;
            } finally {
                runNanos += System.nanoTime() - start;
            }
        }
    }

    /**
     * Stops a run of this component that is inside ONNX Runtime now, through the run's terminate flag:
     * the run ends within moments with a {@link CancelledException}. Safe from any thread; does nothing
     * when no run is in progress. Cancellation and shutdown use it so that no thread is inside native
     * code when the models are closed or the JVM exits.
     */
    public void terminateRun() {
        synchronized (runLock) {
            if (running != null) {
                try {
                    running.setTerminate(true);
                    terminating = true;
                } catch (OrtException e) {
                    // The run ends by itself at the next step; the caller waits for it either way.
                }
            }
        }
    }

    /** One session run with its own run options, registered so {@link #terminateRun} can reach it. */
    private OrtSession.Result runTerminable(Map<String, OnnxTensor> in) {
        OrtSession.RunOptions runOptions;
        try {
            runOptions = new OrtSession.RunOptions();
        } catch (OrtException e) {
            throw runFailure(new IllegalStateException(e));
        }
        synchronized (runLock) {
            running = runOptions;
            terminating = false;
        }
        try {
            return session.run(in, runOptions);
        } catch (OrtException | RuntimeException e) {
            synchronized (runLock) {
                if (terminating) {
                    throw new CancelledException();
                }
            }
            throw runFailure(e instanceof RuntimeException r ? r : new IllegalStateException(e));
        } finally {
            synchronized (runLock) {
                running = null;
                runOptions.close();
            }
        }
    }

    /** Cumulative wall time spent inside ONNX Runtime's run calls of this component. */
    public synchronized long runNanos() {
        return runNanos;
    }

    @Override
    public synchronized void close() {
        unload();
        closed = true;
    }

    @Override
    public String toString() {
        return "OnnxComponent[" + name + ", " + file + (block != null ? ", loaded]" : "]");
    }

    // ------------------------------------------------------------------------------------------

    private void checkFile() {
        if (!Files.exists(file)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The " + name + " model file " + file
                    + " does not exist. The model folder is incomplete: copy or download the model again.");
        }
        if (!Files.isRegularFile(file)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The " + name + " model file " + file
                    + " is not a regular file. Point Pigment at the model's .onnx file.");
        }
        if (!Files.isReadable(file)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The " + name + " model file " + file
                    + " cannot be read (permissions). Make it readable for the user running Pigment.");
        }
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() > 0) {
                so.setInterOpNumThreads(options.interOpThreads());
            }
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(options.optLevel().name()));
            so.setMemoryPatternOptimization(options.memoryPattern());
            options.device().addTo(so);
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private List<TensorSpec> describe(Map<String, NodeInfo> infos, String kind) {
        List<TensorSpec> specs = new ArrayList<>(infos.size());
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new PigmentException(ErrorCode.MODEL_INVALID, describeFile() + " has a non-tensor " + kind
                        + " '" + node.getName() + "' (" + node.getInfo() + "); Pigment only feeds and reads tensors.");
            }
            TensorType type = TensorCodec.typeOf(info.type).orElseThrow(() -> new PigmentException(
                    ErrorCode.MODEL_INVALID, describeFile() + " has " + kind + " '" + node.getName()
                            + "' of element type " + info.type + "; Pigment supports float32, float16, int32 and "
                            + "int64. Use an export of this model with those types."));
            long[] shape = info.getShape();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], -1);
            }
            specs.add(new TensorSpec(node.getName(), type, shape));
        }
        return List.copyOf(specs);
    }

    private void checkNames(Map<String, Tensor> feeds) {
        List<String> missing = inputs.stream().map(TensorSpec::name).filter(n -> !feeds.containsKey(n)).toList();
        List<String> unknown = feeds.keySet().stream()
                .filter(n -> inputs.stream().noneMatch(s -> s.name().equals(n))).sorted().toList();
        if (missing.isEmpty() && unknown.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(describeFile());
        if (!unknown.isEmpty()) {
            sb.append(" has no input named ").append(quoted(unknown));
            sb.append(missing.isEmpty() ? "" : ", and");
        }
        if (!missing.isEmpty()) {
            sb.append(" was not given its input ").append(quoted(missing));
        }
        sb.append(". Its inputs are: ").append(inputs.stream().map(TensorSpec::toString)
                .collect(Collectors.joining(", ")));
        sb.append(". This model export does not match the layout Pigment expects for its family.");
        throw new PigmentException(ErrorCode.MODEL_INVALID, sb.toString());
    }

    private NDArray toNDArray(NDManager runManager, TensorSpec spec, Tensor tensor) {
        Objects.requireNonNull(tensor, () -> "tensor for input " + spec.name());
        long[] shape = tensor.shape();
        if (!spec.accepts(shape)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, describeFile() + " expects input " + spec
                    + " but was given " + tensor + ". This model export does not fit the size or batch Pigment "
                    + "uses; try another size, or a model exported with dynamic axes.");
        }
        int bytes = Math.multiplyExact(Math.toIntExact(tensor.elementCount()), TensorCodec.bytesPerElement(spec.type()));
        Buffer data = TensorCodec.write(tensor, spec.type(), buffer(spec.name(), bytes), spec.name());
        DataType dataType = switch (spec.type()) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT16 -> DataType.FLOAT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
        };
        NDArray array = runManager.create(data, new Shape(shape), dataType);
        array.setName(spec.name());
        return array;
    }

    /** A native-order direct view of exactly {@code bytes}, backed by this input's reusable buffer. */
    private ByteBuffer buffer(String inputName, int bytes) {
        ByteBuffer cached = inputBuffers.get(inputName);
        if (cached == null || cached.capacity() < bytes) {
            cached = ByteBuffer.allocateDirect(Math.max(bytes, 1)).order(ByteOrder.nativeOrder());
            inputBuffers.put(inputName, cached);
        }
        return cached.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
    }

    private String describeFile() {
        return "The " + name + " model (" + file + ")";
    }

    private PigmentException loadFailure(OrtException e) {
        String msg = String.valueOf(e.getMessage());
        if (looksLikeOutOfMemory(msg)) {
            return new PigmentException(ErrorCode.OUT_OF_MEMORY, "Not enough memory to load the " + name
                    + " model (" + file + "). Close other programs, or use the one-component-at-a-time memory "
                    + "policy.", e);
        }
        return new PigmentException(ErrorCode.MODEL_INVALID, "The " + name + " model file " + file
                + " is not a valid ONNX model that ONNX Runtime can load (" + firstLine(msg) + "). The file may be "
                + "incomplete or damaged, or need a newer ONNX Runtime: copy or download the model again.", e);
    }

    private PigmentException runFailure(RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String msg = String.valueOf(cause.getMessage());
        if (looksLikeOutOfMemory(msg)) {
            return new PigmentException(ErrorCode.OUT_OF_MEMORY, "Not enough memory to run the " + name
                    + " model at this size. Try a smaller image or batch, or the one-component-at-a-time memory "
                    + "policy.", e);
        }
        return new PigmentException(ErrorCode.RUNTIME, "ONNX Runtime failed while running " + describeFile()
                + ": " + firstLine(msg), e);
    }

    private static boolean looksLikeOutOfMemory(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        return m.contains("bad_alloc") || m.contains("bad allocation") || m.contains("failed to allocate");
    }

    private static String firstLine(String msg) {
        int nl = msg.indexOf('\n');
        return (nl < 0 ? msg : msg.substring(0, nl)).trim();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // already failing with a better message
        }
    }
}
