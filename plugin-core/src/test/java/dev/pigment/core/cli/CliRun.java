package dev.pigment.core.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the pigment command line: its exit code and what it printed. */
record CliRun(int code, String out, String err) {
    static CliRun run(String... args) {
        picocli.CommandLine cl = PigmentCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
