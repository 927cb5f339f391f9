package org.phm.notebooks;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * A Jupyter kernel for Java on the PHM engine: cells are evaluated by one JShell per kernel running
 * in this JVM (so Spark, the engine and the display helpers share one class path and one Spark
 * session), the value of a cell's last expression is shown (tables as HTML, charts as SVG) and
 * stdout/stderr go to the cell. Started by Jupyter as
 * {@code java <spark flags> -cp <jars> org.phm.notebooks.JavaKernel {connection_file}}.
 */
public final class JavaKernel extends BaseKernel {
  /** Imports every cell can rely on. */
  static final List<String> PRELUDE = List.of(
      "import java.util.*;",
      "import java.nio.file.*;",
      "import java.time.*;",
      "import java.util.stream.*;",
      "import tech.tablesaw.api.Table;",
      "import tech.tablesaw.api.StringColumn;",
      "import tech.tablesaw.api.DoubleColumn;",
      "import tech.tablesaw.api.LongColumn;",
      "import tech.tablesaw.api.IntColumn;",
      "import org.apache.spark.sql.Dataset;",
      "import org.apache.spark.sql.Row;",
      "import org.apache.spark.sql.SparkSession;",
      "import org.apache.spark.sql.functions;",
      "import static org.apache.spark.sql.functions.col;",
      "import static org.apache.spark.sql.functions.lit;",
      "import org.phm.pack.*;",
      "import org.phm.query.*;",
      "import org.phm.stats.*;",
      "import org.phm.notebooks.*;",
      "import static org.phm.notebooks.Notebook.*;");

  /** The base kernel logs every message at INFO through java.util.logging; keep only warnings. */
  private static final java.util.logging.Logger BASE_KERNEL_LOG = java.util.logging.Logger.getLogger("io.github.spencerpark");

  private final JShell shell;
  private final LanguageInfo languageInfo;

  public JavaKernel() {
    super(StandardCharsets.UTF_8);
    this.shell = JShell.builder().executionEngine("local").build();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    this.languageInfo = new LanguageInfo.Builder("Java")
        .version(Runtime.version().toString())
        .mimetype("text/x-java-source")
        .fileExtension(".jshell")
        .pygments("java")
        .codemirror("text/x-java")
        .build();
    Notebook.attach(this::display);
    for (String line : PRELUDE) {
      try {
        run(line);
      } catch (CellException e) {
        throw new IllegalStateException("kernel prelude failed: " + line + ": " + e.getMessage());
      }
    }
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return languageInfo;
  }

  @Override
  public String getBanner() {
    return "PHM Engine Java kernel (JShell, Java " + Runtime.version() + ")";
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    Object value = run(code);
    return value == NO_VALUE ? null : Display.render(value);
  }

  private static final Object NO_VALUE = new Object();

  /**
   * Evaluates every snippet of {@code code} in order and returns the value of the last one if it is
   * an expression ({@link #NO_VALUE} otherwise).
   *
   * @throws CellException on a compile error or an exception thrown by the code (later snippets are not run)
   */
  Object run(String code) throws CellException {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = code;
    Snippet last = null;
    boolean lastHasValue = false;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
        break;
      }
      String source = info.source();
      if (!info.completeness().isComplete()) {
        // let JShell report what is wrong with the unfinished text
        source = remaining;
        remaining = "";
      } else {
        remaining = info.remaining();
      }
      List<SnippetEvent> events = shell.eval(source);
      for (SnippetEvent e : events) {
        if (e.causeSnippet() != null) {
          continue;
        }
        if (e.status() == Snippet.Status.REJECTED) {
          throw new CellException(compileErrors(e.snippet()));
        }
        if (e.exception() != null) {
          throw new CellException(runtimeError(e.exception()));
        }
        last = e.snippet();
        lastHasValue = e.value() != null;
      }
    }
    String name = valueName(last);
    if (name == null || !lastHasValue) {
      return NO_VALUE;
    }
    List<SnippetEvent> stash = shell.eval("org.phm.notebooks.Notebook.stash(" + name + ");");
    for (SnippetEvent e : stash) {
      if (e.status() == Snippet.Status.REJECTED || e.exception() != null) {
        return NO_VALUE;
      }
    }
    return Notebook.takeStash();
  }

  /** Name of the variable holding the value of an expression snippet, or null. */
  private static String valueName(Snippet s) {
    if (s instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
      return v.name();
    }
    if (s instanceof ExpressionSnippet x && x.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
      return x.name();
    }
    return null;
  }

  private List<String> compileErrors(Snippet s) {
    List<String> out = new ArrayList<>();
    String src = s.source();
    for (Diag d : shell.diagnostics(s).toList()) {
      if (!d.isError()) {
        continue;
      }
      out.add("error: " + d.getMessage(Locale.ROOT));
      int pos = (int) Math.max(0, d.getStartPosition());
      int start = pos == 0 ? 0 : src.lastIndexOf('\n', pos - 1) + 1;
      int end = src.indexOf('\n', pos);
      String line = src.substring(start, end < 0 ? src.length() : end);
      out.add("  " + line);
      out.add("  " + " ".repeat(Math.max(0, pos - start)) + "^");
    }
    if (out.isEmpty()) {
      var unresolved = s instanceof jdk.jshell.DeclarationSnippet ds
          ? shell.unresolvedDependencies(ds).collect(Collectors.joining(", ")) : "";
      out.add("error: snippet rejected" + (unresolved.isEmpty() ? "" : " (unresolved: " + unresolved + ")"));
    }
    return out;
  }

  private static List<String> runtimeError(JShellException ex) {
    List<String> out = new ArrayList<>();
    if (ex instanceof EvalException ee) {
      out.add(ee.getExceptionClassName() + (ee.getMessage() == null ? "" : ": " + ee.getMessage()));
    } else if (ex instanceof UnresolvedReferenceException ue) {
      out.add("unresolved reference in " + ue.getSnippet().source().strip());
    } else {
      out.add(ex.toString());
    }
    for (Throwable c = ex.getCause(); c != null; c = c.getCause()) {
      String name = c instanceof EvalException ce ? ce.getExceptionClassName() : c.getClass().getName();
      out.add("caused by " + name + ": " + c.getMessage());
    }
    int shown = 0;
    for (StackTraceElement f : ex.getStackTrace()) {
      if (shown++ == 12) {
        out.add("\t...");
        break;
      }
      out.add("\tat " + f);
    }
    return out;
  }

  @Override
  public List<String> formatError(Exception e) {
    if (e instanceof CellException ce) {
      return ce.lines();
    }
    return super.formatError(e);
  }

  @Override
  public String isComplete(String code) {
    SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
    while (info.completeness().isComplete() && !info.remaining().isBlank()) {
      info = shell.sourceCodeAnalysis().analyzeCompletion(info.remaining());
    }
    return switch (info.completeness()) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> IS_COMPLETE_MAYBE;
      case UNKNOWN -> IS_COMPLETE_BAD;
    };
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> options = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
        .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
    return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public void interrupt() {
    shell.stop();
  }

  @Override
  public void onShutdown(boolean restart) {
    shell.close();
  }

  /** A cell failed: the lines shown to the user (no kernel stack trace). */
  static final class CellException extends Exception {
    private final List<String> lines;

    CellException(List<String> lines) {
      super(String.join("\n", lines));
      this.lines = List.copyOf(lines);
    }

    List<String> lines() {
      return lines;
    }
  }

  /** Entry point used by the kernelspec: {@code JavaKernel <connection file>}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: JavaKernel CONNECTION_FILE");
      System.exit(2);
    }
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "phm-notebooks-log4j2.properties");
    }
    BASE_KERNEL_LOG.setLevel(java.util.logging.Level.WARNING);
    String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    KernelConnectionProperties props = KernelConnectionProperties.parse(json);
    JupyterConnection connection = new JupyterConnection(props);
    JavaKernel kernel = new JavaKernel();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    System.exit(0);
  }
}
