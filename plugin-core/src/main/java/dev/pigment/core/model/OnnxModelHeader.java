package dev.pigment.core.model;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The signature of an ONNX model (graph inputs and outputs, opset, external weight files),
 * read without loading the weights: a streaming protobuf reader that steps over nodes and
 * initializer data, so a multi-gigabyte file costs a few small reads.
 *
 * <p>Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, ValueInfoProto,
 * TypeProto, TensorShapeProto, TensorProto).
 */
public final class OnnxModelHeader {
    /** ONNX element types (TensorProto.DataType) used by diffusion exports. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int BFLOAT16 = 16;

    static final int DEFAULT_WINDOW = 64 * 1024;
    private static final int MAX_NAME = 1 << 20;
    private static final String LFS_POINTER = "version https://git-lfs.github.com/spec/";

    /**
     * One graph input or output.
     *
     * @param name     as the graph names it, e.g. {@code sample}
     * @param elemType ONNX TensorProto.DataType ({@link #FLOAT}, {@link #INT64}, ...); 0 if not a tensor or unknown
     * @param dims     one entry per axis: a number, a symbolic name such as {@code batch}, or {@code ?};
     *                 empty when the graph gives no shape
     */
    public record ValueInfo(String name, int elemType, List<String> dims) {
        public ValueInfo {
            Objects.requireNonNull(name, "name");
            dims = List.copyOf(dims);
        }

        /** For messages: e.g. {@code sample float [batch, 4, height, width]}. */
        @Override
        public String toString() {
            return name + " " + elemTypeName(elemType) + " " + dims;
        }
    }

    /**
     * A file that holds some of the graph's weights (initializers stored with
     * {@code data_location = EXTERNAL}).
     *
     * @param location      the path the graph gives, relative to the ONNX file's folder
     * @param minimumLength the file must be at least this long (largest offset + length referenced),
     *                      0 if the graph gives no lengths
     */
    public record ExternalData(String location, long minimumLength) {
        public ExternalData {
            Objects.requireNonNull(location, "location");
        }
    }

    private final long irVersion;
    private final long opsetVersion;
    private final String producerName;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final List<ExternalData> externalData;
    private final Set<String> operators;

    private OnnxModelHeader(long irVersion, long opsetVersion, String producerName, List<ValueInfo> inputs,
                            List<ValueInfo> outputs, List<ExternalData> externalData, Set<String> operators) {
        this.irVersion = irVersion;
        this.opsetVersion = opsetVersion;
        this.producerName = producerName;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.externalData = List.copyOf(externalData);
        this.operators = Set.copyOf(operators);
    }

    /**
     * The operators the main graph's nodes use, as {@code op_type} (default domain) or {@code domain:op_type}, e.g.
     * {@code com.microsoft:MatMulNBits}; subgraphs (If/Loop bodies) are not read.
     */
    public Set<String> operators() {
        return operators;
    }

    /**
     * Reads the header of an ONNX file.
     *
     * @throws PigmentException {@link ErrorCode#MODEL_INVALID} if the file is missing, unreadable,
     *                          truncated, a Git LFS pointer, or not an ONNX model
     */
    public static OnnxModelHeader read(Path onnx) {
        return read(onnx, DEFAULT_WINDOW);
    }

    static OnnxModelHeader read(Path onnx, int windowBytes) {
        Objects.requireNonNull(onnx, "onnx");
        try (FileChannel channel = FileChannel.open(onnx, StandardOpenOption.READ)) {
            if (channel.size() == 0) {
                throw invalid(onnx, "the file is empty", "Copy or export the model again.");
            }
            if (isLfsPointer(channel)) {
                throw invalid(onnx, "this is a Git LFS pointer, not the model itself",
                        "Fetch the real file: run 'git lfs install' then 'git lfs pull' in the cloned repository,"
                                + " or download the file directly.");
            }
            return new Parser(new ProtoReader(channel, windowBytes)).parseModel();
        } catch (ProtoReader.MalformedException e) {
            if (e.truncated()) {
                throw invalid(onnx, "the file is truncated (" + e.getMessage() + ")",
                        "The copy or download did not finish: fetch the file again.");
            }
            throw invalid(onnx, "not a valid ONNX model (" + e.getMessage() + ")",
                    "Replace it with a real ONNX export of this component.");
        } catch (NoSuchFileException e) {
            throw invalid(onnx, "missing", "Put the exported model.onnx there.");
        } catch (IOException e) {
            throw invalid(onnx, "cannot be read (" + e.getMessage() + ")", "Check that the file is readable.");
        }
    }

    private static Unreadable invalid(Path onnx, String what, String fix) {
        return new Unreadable(onnx, what, fix);
    }

    /** A file that is not a usable ONNX model; {@link ModelValidator} reports what and fix separately. */
    static final class Unreadable extends PigmentException {
        final String what;
        final String fix;

        Unreadable(Path onnx, String what, String fix) {
            super(ErrorCode.MODEL_INVALID, onnx + ": " + what + ". " + fix);
            this.what = what;
            this.fix = fix;
        }
    }

    private static boolean isLfsPointer(FileChannel channel) throws IOException {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(LFS_POINTER.length());
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // FileChannel may return fewer bytes than asked for
        }
        return new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII).equals(LFS_POINTER);
    }

    /** The inputs a caller must feed: graph inputs that are not also initializers (older exporters list weights as inputs). */
    public List<ValueInfo> inputs() {
        return inputs;
    }

    public List<ValueInfo> outputs() {
        return outputs;
    }

    /** The version of the default ("ai.onnx") operator set, 0 if the file declares none. */
    public long opsetVersion() {
        return opsetVersion;
    }

    public long irVersion() {
        return irVersion;
    }

    /** Empty if the exporter did not say. */
    public String producerName() {
        return producerName;
    }

    /** Files that hold external weights, one entry per distinct location, in first-use order. */
    public List<ExternalData> externalData() {
        return externalData;
    }

    public List<String> inputNames() {
        return inputs.stream().map(ValueInfo::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(ValueInfo::name).toList();
    }

    /** Human-readable element type, e.g. {@code float16}; {@code type<n>} for codes we do not name. */
    public static String elemTypeName(int elemType) {
        return switch (elemType) {
            case 0 -> "unknown";
            case FLOAT -> "float";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case 4 -> "uint16";
            case 5 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case 8 -> "string";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            case DOUBLE -> "double";
            case 12 -> "uint32";
            case 13 -> "uint64";
            case BFLOAT16 -> "bfloat16";
            default -> "type" + elemType;
        };
    }

    /** Walks ModelProto > GraphProto, descending only into the small messages it needs. */
    private static final class Parser {
        private final ProtoReader in;
        private long irVersion;
        private long opsetVersion;
        private String producerName = "";
        private boolean sawGraph;
        private boolean sawOpset;
        private final List<ValueInfo> graphInputs = new ArrayList<>();
        private final List<ValueInfo> graphOutputs = new ArrayList<>();
        private final Set<String> initializerNames = new HashSet<>();
        private final Map<String, Long> externalLengths = new LinkedHashMap<>();
        private final Set<String> operators = new HashSet<>();

        Parser(ProtoReader in) {
            this.in = in;
        }

        OnnxModelHeader parseModel() throws IOException, ProtoReader.MalformedException {
            long end = in.size();
            while (in.position() < end) {
                int tag = in.readTag();
                int field = tag >>> 3;
                int wire = tag & 7;
                switch (field) {
                    case 1 -> irVersion = expectVarint(wire, "ir_version");
                    case 2 -> producerName = readString(wire, end, "producer_name");
                    case 7 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "graph");
                        parseGraph(in.readLengthEnd(end));
                        sawGraph = true;
                    }
                    case 8 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "opset_import");
                        parseOpset(in.readLengthEnd(end));
                        sawOpset = true;
                    }
                    default -> in.skipValue(wire, end);
                }
            }
            // ONNX requires all three; a file cut exactly between two top-level fields lacks one
            if (!sawGraph || irVersion <= 0 || !sawOpset) {
                throw new ProtoReader.MalformedException(!sawGraph ? "no graph found"
                        : irVersion <= 0 ? "no IR version" : "no opset_import", false);
            }
            List<ValueInfo> feeds = graphInputs.stream().filter(v -> !initializerNames.contains(v.name())).toList();
            List<ExternalData> external = new ArrayList<>();
            externalLengths.forEach((location, length) -> external.add(new ExternalData(location, length)));
            return new OnnxModelHeader(irVersion, opsetVersion, producerName, feeds, graphOutputs, external, operators);
        }

        private void parseOpset(long end) throws IOException, ProtoReader.MalformedException {
            String domain = "";
            long version = 0;
            while (in.position() < end) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> domain = readString(tag & 7, end, "opset domain");
                    case 2 -> version = expectVarint(tag & 7, "opset version");
                    default -> in.skipValue(tag & 7, end);
                }
            }
            if (domain.isEmpty() || domain.equals("ai.onnx")) {
                opsetVersion = version;
            }
        }

        private void parseGraph(long end) throws IOException, ProtoReader.MalformedException {
            while (in.position() < end) {
                int tag = in.readTag();
                int wire = tag & 7;
                switch (tag >>> 3) {
                    case 1 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "node");
                        parseNode(in.readLengthEnd(end));
                    }
                    case 5 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "initializer");
                        parseInitializer(in.readLengthEnd(end));
                    }
                    case 11 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "input");
                        graphInputs.add(parseValueInfo(in.readLengthEnd(end)));
                    }
                    case 12 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "output");
                        graphOutputs.add(parseValueInfo(in.readLengthEnd(end)));
                    }
                    default -> in.skipValue(wire, end); // value_info, doc strings
                }
            }
        }

        /** NodeProto: only op_type and domain (attributes, which may hold subgraphs or tensors, are skipped). */
        private void parseNode(long end) throws IOException, ProtoReader.MalformedException {
            String op = "";
            String domain = "";
            while (in.position() < end) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 4 -> op = readString(tag & 7, end, "op_type");
                    case 7 -> domain = readString(tag & 7, end, "node domain");
                    default -> in.skipValue(tag & 7, end);
                }
            }
            operators.add(domain.isEmpty() || domain.equals("ai.onnx") ? op : domain + ":" + op);
        }

        /** TensorProto: only name, data_location and external_data; raw data is skipped. */
        private void parseInitializer(long end) throws IOException, ProtoReader.MalformedException {
            String name = null;
            boolean external = false;
            String location = null;
            long offset = 0;
            long length = -1;
            while (in.position() < end) {
                int tag = in.readTag();
                int wire = tag & 7;
                switch (tag >>> 3) {
                    case 8 -> name = readString(wire, end, "initializer name");
                    case 14 -> external = expectVarint(wire, "data_location") == 1;
                    case 13 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "external_data");
                        String[] kv = parseStringEntry(in.readLengthEnd(end));
                        switch (kv[0]) {
                            case "location" -> location = kv[1];
                            case "offset" -> offset = parseLong(kv[1], "offset");
                            case "length" -> length = parseLong(kv[1], "length");
                            default -> { }
                        }
                    }
                    default -> in.skipValue(wire, end);
                }
            }
            if (name != null) {
                initializerNames.add(name);
            }
            if (external) {
                if (location == null || location.isEmpty()) {
                    throw new ProtoReader.MalformedException("initializer '" + name
                            + "' is stored externally but names no location", false);
                }
                long needed = length >= 0 ? offset + length : 0;
                externalLengths.merge(location, needed, Math::max);
            }
        }

        private String[] parseStringEntry(long end) throws IOException, ProtoReader.MalformedException {
            String key = "";
            String value = "";
            while (in.position() < end) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> key = readString(tag & 7, end, "external_data key");
                    case 2 -> value = readString(tag & 7, end, "external_data value");
                    default -> in.skipValue(tag & 7, end);
                }
            }
            return new String[] {key, value};
        }

        private ValueInfo parseValueInfo(long end) throws IOException, ProtoReader.MalformedException {
            String name = "";
            int elemType = 0;
            List<String> dims = List.of();
            while (in.position() < end) {
                int tag = in.readTag();
                int wire = tag & 7;
                switch (tag >>> 3) {
                    case 1 -> name = readString(wire, end, "value name");
                    case 2 -> {
                        expectWire(wire, ProtoReader.LENGTH_DELIMITED, "type");
                        long typeEnd = in.readLengthEnd(end);
                        while (in.position() < typeEnd) {
                            int t = in.readTag();
                            int field = t >>> 3;
                            // tensor_type (1) and sparse_tensor_type (8) share TypeProto.Tensor's layout
                            if ((field == 1 || field == 8) && (t & 7) == ProtoReader.LENGTH_DELIMITED) {
                                long tensorEnd = in.readLengthEnd(typeEnd);
                                while (in.position() < tensorEnd) {
                                    int u = in.readTag();
                                    switch (u >>> 3) {
                                        case 1 -> elemType = (int) expectVarint(u & 7, "elem_type");
                                        case 2 -> {
                                            expectWire(u & 7, ProtoReader.LENGTH_DELIMITED, "shape");
                                            dims = parseShape(in.readLengthEnd(tensorEnd));
                                        }
                                        default -> in.skipValue(u & 7, tensorEnd);
                                    }
                                }
                            } else {
                                in.skipValue(t & 7, typeEnd);
                            }
                        }
                    }
                    default -> in.skipValue(wire, end);
                }
            }
            return new ValueInfo(name, elemType, dims);
        }

        private List<String> parseShape(long end) throws IOException, ProtoReader.MalformedException {
            List<String> dims = new ArrayList<>();
            while (in.position() < end) {
                int tag = in.readTag();
                if ((tag >>> 3) == 1) {
                    expectWire(tag & 7, ProtoReader.LENGTH_DELIMITED, "dim");
                    long dimEnd = in.readLengthEnd(end);
                    String dim = "?";
                    while (in.position() < dimEnd) {
                        int t = in.readTag();
                        switch (t >>> 3) {
                            case 1 -> dim = Long.toString(expectVarint(t & 7, "dim_value"));
                            case 2 -> dim = readString(t & 7, dimEnd, "dim_param");
                            default -> in.skipValue(t & 7, dimEnd);
                        }
                    }
                    dims.add(dim.isEmpty() ? "?" : dim);
                } else {
                    in.skipValue(tag & 7, end);
                }
            }
            return dims;
        }

        private String readString(int wire, long end, String what) throws IOException, ProtoReader.MalformedException {
            expectWire(wire, ProtoReader.LENGTH_DELIMITED, what);
            return in.readString(in.readVarint(), end, MAX_NAME);
        }

        private long expectVarint(int wire, String what) throws IOException, ProtoReader.MalformedException {
            expectWire(wire, ProtoReader.VARINT, what);
            return in.readVarint();
        }

        private void expectWire(int wire, int expected, String what) throws ProtoReader.MalformedException {
            if (wire != expected) {
                throw new ProtoReader.MalformedException("field '" + what + "' at byte " + in.position()
                        + " has the wrong encoding", false);
            }
        }

        private static long parseLong(String s, String what) throws ProtoReader.MalformedException {
            try {
                long v = Long.parseLong(s.trim());
                if (v < 0) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ProtoReader.MalformedException("external data " + what + " '" + s + "' is not a size", false);
            }
        }
    }
}
