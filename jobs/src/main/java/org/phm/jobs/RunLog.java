package org.phm.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operational log of a run: one JSON object per line (for log shippers and the 7am debug), and on an
 * interactive terminal a human progress line per stage instead. Never given patient identifiers.
 */
public final class RunLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;
  private final boolean json;
  private final String runId;

  public RunLog(PrintStream out, String format, String runId) {
    this.out = out;
    this.runId = runId;
    this.json = switch (format == null ? "auto" : format) {
      case "json" -> true;
      case "text" -> false;
      default -> System.console() == null;
    };
  }

  private RunLog(PrintStream out, boolean json, String runId) {
    this.out = out;
    this.json = json;
    this.runId = runId;
  }

  /** The same log, its lines tagged with the run id (known only once the run starts). */
  public RunLog forRun(String id) {
    return new RunLog(out, json, id);
  }

  public boolean isJson() {
    return json;
  }

  /** Logs an event with fields (values must be aggregate: counts, seconds, names, paths). */
  public void event(String event, Map<String, ?> fields) {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("ts", Instant.now().toString());
      line.put("run_id", runId);
      line.put("event", event);
      line.putAll(fields);
      try {
        out.println(JSON.writeValueAsString(line));
      } catch (Exception e) {
        out.println("{\"event\":\"log_error\"}");
      }
    } else {
      StringBuilder sb = new StringBuilder("phm ▸ ").append(event);
      fields.forEach((k, v) -> sb.append("  ").append(k).append('=').append(v));
      out.println(sb);
    }
    out.flush();
  }

  /** Logs a finished stage. */
  public void stage(String stage, double seconds, Long rowsIn, Long rowsOut, Long quarantined) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("stage", stage);
    f.put("seconds", Math.round(seconds * 100) / 100.0);
    if (rowsIn != null) {
      f.put("rows_in", rowsIn);
    }
    if (rowsOut != null) {
      f.put("rows_out", rowsOut);
    }
    if (quarantined != null) {
      f.put("quarantined", quarantined);
    }
    event("stage_done", f);
  }
}
