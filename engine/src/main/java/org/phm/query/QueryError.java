package org.phm.query;

import java.util.Optional;
import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * A SQL statement an analyst wrote could not be parsed or analysed (unknown table or column, type
 * mismatch). Carries a one-line message and, where Spark knows it, the 1-based line and 0-based
 * character position of the offending text, so the CLI and notebooks can show it without a stack trace.
 *
 * @param kind {@code syntax} (parse error) or {@code analysis}
 */
public final class QueryError extends RuntimeException {
  private final String kind;
  private final String summary;
  private final Integer line;
  private final Integer position;
  private final String fragment;

  public QueryError(String kind, String summary, Integer line, Integer position, String fragment, Throwable cause) {
    super(kind + " error" + (line == null ? "" : " at line " + line + ", position " + position) + ": " + summary, cause);
    this.kind = kind;
    this.summary = summary;
    this.line = line;
    this.position = position;
    this.fragment = fragment;
  }

  public String kind() {
    return kind;
  }

  /** The error without location, one line. */
  public String summary() {
    return summary;
  }

  /** 1-based line of the error in the statement, or null if unknown. */
  public Integer line() {
    return line;
  }

  /** 0-based character position within {@link #line()}, or null if unknown. */
  public Integer position() {
    return position;
  }

  /** The offending SQL text where Spark reports it, or null. */
  public String fragment() {
    return fragment;
  }

  /**
   * Renders the error on two lines for a terminal: the message, then the statement line with a caret
   * under the error position (if known).
   */
  public String display(String sql) {
    StringBuilder sb = new StringBuilder(getMessage());
    if (line != null && position != null) {
      String[] lines = sql.split("\n", -1);
      if (line >= 1 && line <= lines.length) {
        String l = lines[line - 1];
        int pos = Math.min(position, l.length());
        sb.append('\n').append("  ").append(l).append('\n').append("  ").append(" ".repeat(pos)).append('^');
      }
    }
    return sb.toString();
  }

  /** Classifies a Spark failure as an analyst's SQL error; empty if it is something else (a bug, I/O). */
  public static Optional<QueryError> from(Throwable t, String sql) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ParseException pe) {
        Integer line = pe.line().isDefined() ? (Integer) pe.line().get() : null;
        Integer pos = pe.startPosition().isDefined() ? (Integer) pe.startPosition().get() : null;
        return Optional.of(new QueryError("syntax", firstLine(pe.getSimpleMessage()), line, pos, null, pe));
      }
      if (c instanceof AnalysisException ae) {
        Integer line = ae.line().isDefined() ? (Integer) ae.line().get() : null;
        Integer pos = ae.startPosition().isDefined() ? (Integer) ae.startPosition().get() : null;
        String fragment = null;
        QueryContext[] ctx = ae.getQueryContext();
        if (ctx != null && ctx.length > 0 && ctx[0].fragment() != null && !ctx[0].fragment().isEmpty()) {
          fragment = ctx[0].fragment();
          if (line == null && ctx[0].startIndex() >= 0) {
            int[] lp = lineAndPosition(sql, ctx[0].startIndex());
            line = lp[0];
            pos = lp[1];
          }
        }
        return Optional.of(new QueryError("analysis", firstLine(ae.getSimpleMessage()), line, pos, fragment, ae));
      }
    }
    return Optional.empty();
  }

  static int[] lineAndPosition(String sql, int index) {
    int line = 1;
    int start = 0;
    for (int i = 0; i < Math.min(index, sql.length()); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        start = i + 1;
      }
    }
    return new int[] {line, index - start};
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl).strip();
    // Spark appends a long ". Did you mean ..." / "SQLSTATE: ..." tail; keep the suggestion, drop the SQLSTATE
    return m.replaceAll("\\s*SQLSTATE: \\w+\\.?$", "").strip();
  }
}
