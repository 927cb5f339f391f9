package org.phm.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Opens a published pack for reading: resolves {@code latest} or a run date, lists its tables from
 * the manifest and reads them. Restricted (patient-level) tables are only returned when asked for
 * explicitly, so analysts' default view is aggregate.
 */
public final class PackReader {
  private final Path dir;
  private final Manifest manifest;

  private PackReader(Path dir, Manifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /**
   * Opens {@code pack}, which may be a pack directory, a packs root (its {@code latest} is used) or
   * a packs root joined with {@code latest} or a run date.
   */
  public static PackReader open(Path pack) {
    Path p = pack;
    if (!Files.exists(p.resolve(PackWriter.MANIFEST)) && Files.exists(p.resolve(PackWriter.LATEST))) {
      p = p.resolve(PackWriter.LATEST);
    }
    if (!Files.exists(p.resolve(PackWriter.MANIFEST))) {
      throw new PackException("no pack at " + pack + " (no manifest.json; run `phm nightly` first)");
    }
    try {
      Path real = p.toRealPath();
      return new PackReader(real, PackVerifier.readManifest(real));
    } catch (IOException e) {
      throw new PackException("cannot open pack " + pack + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Tables visible to the caller; restricted ones only if {@code includeRestricted}. */
  public List<Manifest.TableEntry> tables(boolean includeRestricted) {
    return manifest.tables().stream()
        .filter(t -> includeRestricted || !Sensitivity.RESTRICTED.name().equals(t.sensitivity()))
        .toList();
  }

  public Manifest.TableEntry entry(String table, boolean includeRestricted) {
    Manifest.TableEntry t = manifest.tables().stream().filter(e -> e.name().equals(table)).findFirst()
        .orElseThrow(() -> new PackException("pack " + dir.getFileName() + " has no table " + table));
    if (!includeRestricted && Sensitivity.RESTRICTED.name().equals(t.sensitivity())) {
      throw new PackException("table " + table + " is restricted (patient-level); ask for restricted tables explicitly");
    }
    return t;
  }

  public Dataset<Row> read(SparkSession spark, String table, boolean includeRestricted) {
    Manifest.TableEntry t = entry(table, includeRestricted);
    return spark.read().parquet(dir.resolve(t.area()).resolve(t.name()).toString());
  }

  /** Registers each visible table as a temporary view named after it. */
  public void registerViews(SparkSession spark, boolean includeRestricted) {
    for (Manifest.TableEntry t : tables(includeRestricted)) {
      read(spark, t.name(), includeRestricted).createOrReplaceTempView(t.name());
    }
  }
}
