package org.phm.pack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Checks a pack against its manifest: every listed file present with its size and SHA-256, no
 * unlisted data files, and (given a Spark session) each table's row count.
 */
public final class PackVerifier {
  private PackVerifier() {}

  /** Outcome of a verification; empty problems means the pack is intact. */
  public record Result(Path pack, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    public void throwIfFailed() {
      if (!ok()) {
        throw new PackException("pack " + pack + " failed verification: " + String.join("; ", problems));
      }
    }
  }

  public static Manifest readManifest(Path pack) {
    Path m = pack.resolve(PackWriter.MANIFEST);
    try {
      return PackWriter.JSON.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(m.toFile(), Manifest.class);
    } catch (IOException e) {
      throw new PackException("cannot read manifest " + m + ": " + e.getMessage(), e);
    }
  }

  /** Verifies checksums and, when {@code spark} is not null, row counts. */
  public static Result verify(Path pack, SparkSession spark) {
    List<String> problems = new ArrayList<>();
    Manifest manifest;
    try {
      manifest = readManifest(pack);
    } catch (PackException e) {
      return new Result(pack, List.of(e.getMessage()));
    }
    for (Manifest.TableEntry t : manifest.tables()) {
      Path tableDir = pack.resolve(t.area()).resolve(t.name());
      if (!Files.isDirectory(tableDir)) {
        problems.add("table " + t.name() + ": directory " + tableDir + " missing");
        continue;
      }
      Set<String> listed = new HashSet<>();
      for (Manifest.FileEntry f : t.files()) {
        listed.add(f.path());
        Path file = pack.resolve(f.path());
        if (!Files.isRegularFile(file)) {
          problems.add("table " + t.name() + ": file " + f.path() + " missing");
          continue;
        }
        try {
          if (Files.size(file) != f.bytes()) {
            problems.add("table " + t.name() + ": file " + f.path() + " has " + Files.size(file)
                + " bytes, manifest says " + f.bytes());
          } else if (!Checksums.sha256(file).equals(f.sha256())) {
            problems.add("table " + t.name() + ": file " + f.path() + " checksum mismatch (corrupted or changed)");
          }
        } catch (IOException e) {
          problems.add("table " + t.name() + ": cannot read " + f.path() + ": " + e.getMessage());
        }
      }
      try (Stream<Path> s = Files.walk(tableDir)) {
        s.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
            .map(p -> pack.relativize(p).toString())
            .filter(p -> !listed.contains(p))
            .forEach(p -> problems.add("table " + t.name() + ": unlisted file " + p));
      } catch (IOException e) {
        problems.add("table " + t.name() + ": cannot list files: " + e.getMessage());
      }
      if (spark != null && problems.isEmpty()) {
        long rows = spark.read().parquet(tableDir.toString()).count();
        if (rows != t.rows()) {
          problems.add("table " + t.name() + ": " + rows + " rows, manifest says " + t.rows());
        }
      }
    }
    return new Result(pack, problems);
  }
}
