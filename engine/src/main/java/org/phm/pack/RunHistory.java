package org.phm.pack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Append-only history of runs ({@code runs.jsonl} in the pack root), read by {@code phm status}. */
public final class RunHistory {
  public static final String FILE = "runs.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunHistory() {}

  /** One finished (or failed) run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Run(String runId, String runDate, String startedAt, String finishedAt, String outcome,
      int exitCode, double seconds, String pack, Long rowsIn, Long rowsQuarantined, String message) {}

  public static void append(Path packsRoot, Run run) {
    try {
      Files.createDirectories(packsRoot);
      Files.writeString(packsRoot.resolve(FILE), JSON.writeValueAsString(run) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new PackException("cannot append to " + packsRoot.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** The most recent runs, newest first. Unreadable lines are skipped. */
  public static List<Run> recent(Path packsRoot, int max) {
    Path f = packsRoot.resolve(FILE);
    if (!Files.exists(f)) {
      return List.of();
    }
    List<Run> runs = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0 && runs.size() < max; i--) {
        try {
          runs.add(JSON.readValue(lines.get(i), Run.class));
        } catch (IOException ignored) {
          // a line torn by a killed process; the rest of the history stays readable
        }
      }
    } catch (IOException e) {
      throw new PackException("cannot read " + f + ": " + e.getMessage(), e);
    }
    return runs;
  }
}
