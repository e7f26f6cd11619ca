package dev.pigment.core.cli;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pigment}: the command-line front end. Subcommands build a GenerationRequest, run it through
 * the GenerationService and write PNGs carrying the parameters. Other modules add subcommands
 * (the bridge adds {@code serve}) through {@link #newCommandLine(Object...)}.
 */
@Command(name = "pigment", mixinStandardHelpOptions = true, versionProvider = PigmentCli.Version.class,
        description = "Generate and edit images with diffusion models or the weight-free classic engines.",
        subcommands = {GenerateCommand.class, ImageToImageCommand.class, InpaintCommand.class, RestyleCommand.class,
                ModelsCommand.class, QuantizeCommand.class, CommandLine.HelpCommand.class})
public final class PigmentCli implements Runnable {
    /** Exit codes, stable for scripts. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_MODEL = 3;
    public static final int EXIT_RUNTIME = 4;
    public static final int EXIT_CANCELLED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'pigment generate --help'.");
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The command line with the core's subcommands plus any given ones. */
    public static CommandLine newCommandLine(Object... extraSubcommands) {
        CommandLine cl = new CommandLine(new PigmentCli());
        for (Object sub : extraSubcommands) {
            cl.addSubcommand(sub);
        }
        FiniteNumber finite = new FiniteNumber();
        cl.registerConverter(Double.class, finite);
        cl.registerConverter(double.class, finite);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("pigment: " + userMessage(ex));
            return exitCode(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("pigment: " + ex.getMessage() + suggestion(ex)
                    + " (see 'pigment " + ex.getCommandLine().getCommandName() + " --help')");
            return EXIT_USAGE;
        });
        return cl;
    }

    /** picocli's "did you mean" for a mistyped flag, on the same line. */
    static String suggestion(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?";
        }
        return "";
    }

    static String userMessage(Exception ex) {
        if (ex instanceof PigmentException pe) {
            // A broken model folder is explained problem by problem, one per line; everything else is one line.
            boolean modelReport = pe.code() == ErrorCode.MODEL_INVALID || pe.code() == ErrorCode.MODEL_NOT_FOUND;
            return modelReport ? pe.getMessage() : pe.getMessage().replace('\n', ' ');
        }
        // An unexpected failure is still reported in one line; the stack trace would only confuse.
        return "internal error: " + ex + " (please report it with the command you ran)";
    }

    static int exitCode(Exception ex) {
        if (ex instanceof PigmentException pe) {
            return switch (pe.code()) {
                case BAD_REQUEST -> EXIT_USAGE;
                case MODEL_NOT_FOUND, MODEL_INVALID -> EXIT_MODEL;
                case CANCELLED -> EXIT_CANCELLED;
                case OUT_OF_MEMORY, RUNTIME -> EXIT_RUNTIME;
            };
        }
        return EXIT_RUNTIME;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PigmentCli.class.getPackage().getImplementationVersion();
            // The runtime line names the native library actually loaded (DJL's own report is its build-time pin).
            return new String[] {"pigment " + (v == null ? "(development build)" : v),
                    dev.pigment.core.runtime.RuntimeInfo.describe()};
        }
    }
}
