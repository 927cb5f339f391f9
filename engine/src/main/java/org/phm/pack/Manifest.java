package org.phm.pack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The pack's {@code manifest.json}: what was read, what was written and how the run went. Readers
 * trust a pack only if its files match the checksums recorded here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int schemaVersion,
    String runId,
    String runDate,
    String createdAt,
    String engineVersion,
    String sparkVersion,
    String sparkMaster,
    List<InputFile> inputs,
    List<TableEntry> tables,
    List<StageTiming> stages,
    Map<String, Object> runReport) {

  /** Current pack schema version; bump when a table or column changes incompatibly. */
  public static final int SCHEMA_VERSION = 1;

  /** An input extract as read by the run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InputFile(
      String name, String file, String sha256, long bytes, long rowsIn, long rowsAccepted, long rowsQuarantined) {}

  /** A table in the pack with its files and their checksums. */
  public record TableEntry(
      String name, String area, String sensitivity, long rows, List<String> partitionBy, List<FileEntry> files) {}

  /** One data file of a table, relative to the pack directory. */
  public record FileEntry(String path, long bytes, String sha256) {}

  /** Wall time of one stage of the run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StageTiming(String stage, double seconds, Long rowsIn, Long rowsOut) {}
}
