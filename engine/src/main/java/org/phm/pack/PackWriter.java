package org.phm.pack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.phm.spark.ParallelJobs;

/**
 * Writes a pack and publishes it atomically.
 *
 * <p>Packs are immutable directories under {@code PACKS_DIR/.packs/<run-date>_<run-id>/}; the
 * reader-facing names {@code PACKS_DIR/<run-date>} and {@code PACKS_DIR/latest} are symbolic links
 * swapped with an atomic rename only after the staged pack has been verified against its manifest.
 * A failed or killed run therefore leaves the previously published pack and {@code latest} as they
 * were; at worst an unreferenced directory remains in {@code .packs/}, removed by retention.
 */
public final class PackWriter {
  public static final String PACKS = ".packs";
  public static final String LATEST = "latest";
  public static final String MANIFEST = "manifest.json";
  /** Tables written at a time by {@link Staged#writeAll}: two keep both cores of the reference machine busy. */
  public static final int CONCURRENT_TABLES = 2;

  private final Path root;
  private final DataDictionary dictionary;
  private final int suppressionThreshold;

  public PackWriter(Path packsRoot, DataDictionary dictionary, int suppressionThreshold) {
    this.root = packsRoot.toAbsolutePath().normalize();
    this.dictionary = dictionary;
    this.suppressionThreshold = suppressionThreshold;
  }

  public Path root() {
    return root;
  }

  /** Starts a new pack for a run; nothing is visible to readers until {@link Staged#publish}. */
  public Staged stage(String runId, LocalDate runDate) {
    Path dir = root.resolve(PACKS).resolve(runDate + "_" + runId);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PackException("cannot create pack directory " + dir + ": " + e.getMessage(), e);
    }
    return new Staged(dir, runId, runDate);
  }

  /** A pack being written. */
  public final class Staged {
    private final Path dir;
    private final String runId;
    private final LocalDate runDate;
    private final List<Manifest.TableEntry> tables = new ArrayList<>();

    private Staged(Path dir, String runId, LocalDate runDate) {
      this.dir = dir;
      this.runId = runId;
      this.runDate = runDate;
    }

    public Path dir() {
      return dir;
    }

    public List<Manifest.TableEntry> tables() {
      return List.copyOf(tables);
    }

    /**
     * Checks the table against the data dictionary, applies small-number suppression to shareable
     * tables, writes it as Parquet and records its files and checksums.
     */
    public Manifest.TableEntry write(PackTable table) {
      Manifest.TableEntry entry = writeTable(table);
      tables.add(entry);
      return entry;
    }

    /** A table {@link #write} wrote, and how long it took. */
    public record Written(PackTable table, Manifest.TableEntry entry, double seconds) {}

    /**
     * {@link #write}s the tables, {@link #CONCURRENT_TABLES} at a time (one table's suppression and planning on the
     * driver overlap another's Spark work), and records them in the given order.
     */
    public List<Written> writeAll(List<PackTable> all) {
      List<Written> out = ParallelJobs.run(all, t -> {
        long start = System.nanoTime();
        Manifest.TableEntry e = writeTable(t);
        return new Written(t, e, (System.nanoTime() - start) / 1e9);
      }, CONCURRENT_TABLES, "phm-pack-write");
      out.forEach(w -> tables.add(w.entry()));
      return out;
    }

    private Manifest.TableEntry writeTable(PackTable table) {
      DataDictionary.Table def = dictionary.table(table.name()).orElseThrow(() ->
          new PackException("table " + table.name() + " is not described in the data dictionary"));
      if (!def.sensitivity().equals(table.sensitivity().name())) {
        throw new PackException("table " + table.name() + " is " + table.sensitivity()
            + " but the data dictionary says " + def.sensitivity());
      }
      Set<String> declared = new LinkedHashSet<>();
      def.columns().forEach(c -> declared.add(c.name()));
      Set<String> actual = new LinkedHashSet<>(List.of(table.data().columns()));
      if (!declared.equals(actual)) {
        Set<String> missing = new LinkedHashSet<>(declared);
        missing.removeAll(actual);
        Set<String> extra = new LinkedHashSet<>(actual);
        extra.removeAll(declared);
        throw new PackException("table " + table.name() + " does not match the data dictionary: missing "
            + missing + ", undocumented " + extra);
      }
      Dataset<Row> data = table.data();
      if (def.suppressible()) {
        data = SharingSuppression.apply(data, def, suppressionThreshold);
      }
      Path out = dir.resolve(table.sensitivity().area()).resolve(table.name());
      var writer = data.write().mode(SaveMode.Overwrite).option("compression", "zstd");
      if (!table.partitionBy().isEmpty()) {
        writer = writer.partitionBy(table.partitionBy().toArray(String[]::new));
      }
      writer.parquet(out.toString());
      long rows = data.sparkSession().read().parquet(out.toString()).count();
      return new Manifest.TableEntry(table.name(), table.sensitivity().area(),
          table.sensitivity().name(), rows, table.partitionBy(), fileEntries(dir, out));
    }

    /**
     * Writes the manifest, verifies every table against it, restricts the restricted area to the
     * owner, then atomically points {@code <run-date>} and {@code latest} at this pack.
     */
    public Path publish(Manifest manifest, int retain) {
      SparkSession spark = SparkSession.active();
      writeJson(dir.resolve(MANIFEST), manifest);
      PackVerifier.verify(dir, spark).throwIfFailed();
      Path restricted = dir.resolve(Sensitivity.RESTRICTED.area());
      try {
        if (Files.isDirectory(restricted)) {
          try (Stream<Path> s = Files.walk(restricted)) {
            for (Path p : s.toList()) {
              Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                  Files.isDirectory(p) ? "rwx------" : "rw-------"));
            }
          }
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw new PackException("cannot restrict " + restricted + ": " + e.getMessage(), e);
      }
      Path target = root.relativize(dir);
      swapLink(root.resolve(runDate.toString()), target);
      LocalDate latest = currentLatestDate();
      if (latest == null || !runDate.isBefore(latest)) {
        swapLink(root.resolve(LATEST), target);
      }
      applyRetention(retain);
      return root.resolve(runDate.toString());
    }

    public String runId() {
      return runId;
    }
  }

  private LocalDate currentLatestDate() {
    Path link = root.resolve(LATEST);
    if (!Files.isSymbolicLink(link)) {
      return null;
    }
    try {
      String name = Files.readSymbolicLink(link).getFileName().toString();
      return LocalDate.parse(name.substring(0, name.indexOf('_')));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static List<Manifest.FileEntry> fileEntries(Path packDir, Path tableDir) {
    try (Stream<Path> s = Files.walk(tableDir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> {
            String n = p.getFileName().toString();
            return !n.startsWith(".") && !n.startsWith("_");
          })
          .sorted()
          .map(p -> {
            try {
              return new Manifest.FileEntry(packDir.relativize(p).toString(), Files.size(p), Checksums.sha256(p));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .toList();
    } catch (IOException e) {
      throw new PackException("cannot list " + tableDir + ": " + e.getMessage(), e);
    }
  }

  /** Atomically replaces (or creates) a symbolic link. */
  static void swapLink(Path link, Path target) {
    Path tmp = link.resolveSibling("." + link.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, target);
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
        throw new PackException(link + " exists and is not a symbolic link; move it away and rerun");
      }
      try {
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new PackException("the file system of " + link + " cannot rename atomically", e);
      }
    } catch (IOException e) {
      throw new PackException("cannot publish link " + link + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps the packs of the newest {@code retain} run dates (and anything a link points to); deletes
   * older run-date links and unreferenced pack directories, including those of failed runs. Runs
   * only under the pack root's run lock, so no other run can be writing.
   */
  void applyRetention(int retain) {
    try {
      List<Path> dateLinks;
      try (Stream<Path> s = Files.list(root)) {
        dateLinks = s.filter(Files::isSymbolicLink)
            .filter(p -> p.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}"))
            .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
            .toList();
      }
      for (int i = Math.max(retain, 1); i < dateLinks.size(); i++) {
        Files.delete(dateLinks.get(i));
      }
      Set<Path> referenced = new HashSet<>();
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : s.filter(Files::isSymbolicLink).toList()) {
          referenced.add(root.resolve(Files.readSymbolicLink(p)).normalize());
        }
      }
      Path packs = root.resolve(PACKS);
      try (Stream<Path> s = Files.list(packs)) {
        for (Path p : s.toList()) {
          if (!referenced.contains(p.normalize())) {
            deleteTree(p);
          }
        }
      }
    } catch (IOException e) {
      throw new PackException("retention failed under " + root + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a directory tree (no-op if absent); never follows symbolic links out of it. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  // no findAndRegisterModules(): it found Spark's Scala module, which read the manifest's nested run-report objects
  // back as Scala maps instead of java.util.Map
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  static void writeJson(Path file, Object value) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), value);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new PackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
