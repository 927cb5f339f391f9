package org.phm.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to export from a pack.
 *
 * @param icps                 ICP (place) names or codes, or {@code "all"}; may be empty when PCNs are given
 * @param pcns                 PCN names or codes (or {@code "all"} = every PCN of the chosen ICPs); optional
 * @param formats              output formats
 * @param outDir               directory the files are written to (created if absent)
 * @param suppressionThreshold largest count that must never be visible (NHS convention 7); the pack writer
 *                             already suppressed shareable tables, the exporter checks again before writing
 */
public record ExportRequest(List<String> icps, List<String> pcns, Set<Format> formats, Path outDir,
    int suppressionThreshold) {

  /** NHS small-number convention: counts 1–7 are withheld. */
  public static final int DEFAULT_THRESHOLD = 7;

  public ExportRequest {
    icps = icps == null ? List.of() : List.copyOf(icps);
    pcns = pcns == null ? List.of() : List.copyOf(pcns);
    formats = formats == null ? Set.of() : Set.copyOf(formats);
    Objects.requireNonNull(outDir, "outDir");
    if (icps.isEmpty() && pcns.isEmpty()) {
      throw new ExportException.Usage("choose at least one ICP (a name, code or all) or PCN to export");
    }
    if (formats.isEmpty()) {
      throw new ExportException.Usage("choose at least one export format (xlsx, html)");
    }
    if (suppressionThreshold < 0) {
      throw new ExportException.Usage("suppression threshold must be ≥ 0, got " + suppressionThreshold);
    }
  }
}
