package org.phm.jobs;

import org.phm.config.ConfigException;
import org.phm.config.ExitCode;
import org.phm.pack.PackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phm} command line: one entry point for the nightly job and every analyst/operator tool. */
@Command(name = "phm", mixinStandardHelpOptions = true, version = "PHM Engine 0.1.0",
    description = "Population health management analytics engine for an Integrated Care System.",
    subcommands = {
        DemoCommand.class, GenerateCommand.class, NightlyCommand.class, TrainCommand.class, StatusCommand.class,
        VerifyCommand.class, ConfigCommand.class, DocsCommand.class, QueryCommand.class, TablesCommand.class,
        DescribeCommand.class, ExportCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success", "1:internal error", "2:invalid configuration or usage", "3:invalid or missing input",
        "4:data-quality gate failed", "5:another run holds the lock", "6:pack verification failed"})
public final class Phm {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (used by tests). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Phm());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      ExitCode code = classify(ex);
      cmd.getErr().println("phm: " + code.meaning().split(" \\(")[0] + ": " + message(ex));
      if (code == ExitCode.INTERNAL_ERROR) {
        ex.printStackTrace(cmd.getErr());
      }
      return code.code();
    });
    cl.setExitCodeExceptionMapper(ex -> classify(ex).code());
    return cl.execute(args);
  }

  static ExitCode classify(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof PhmExit e) {
        return e.code();
      }
      if (t instanceof ConfigException || t instanceof CommandLine.ParameterException) {
        return ExitCode.INVALID_CONFIGURATION;
      }
      if (t instanceof org.phm.ingest.InputException) {
        return ExitCode.INVALID_INPUT;
      }
      if (t instanceof PackException) {
        return ExitCode.INTERNAL_ERROR;
      }
    }
    return ExitCode.INTERNAL_ERROR;
  }

  private static String message(Throwable ex) {
    Throwable t = ex;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** A failure with a specific documented exit code. */
  public static final class PhmExit extends RuntimeException {
    private final ExitCode code;

    public PhmExit(ExitCode code, String message) {
      super(message);
      this.code = code;
    }

    public PhmExit(ExitCode code, String message, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    public ExitCode code() {
      return code;
    }
  }
}
