package org.phm.jobs.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.phm.pack.Manifest;
import org.phm.pack.PackVerifier;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;

/**
 * Operations-test support: runs {@code phm} and Spark daemons as separate JVMs (so exit codes,
 * SIGKILL and locks are real), shares one generated sample ICS per JVM, and compares packs table
 * by table with Spark.
 */
final class Ops {
  private Ops() {}

  static final LocalDate RUN_DATE = LocalDate.parse("2026-11-20");
  static final int PATIENTS = 2_000;
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

  private static Path shared;
  private static Path input;
  private static Path reference;

  static Path repo() {
    return Path.of(System.getProperty("phm.repo.dir", System.getProperty("user.dir") + "/..")).toAbsolutePath()
        .normalize();
  }

  /** One scratch directory for the ops tests of this JVM (removed at exit). */
  static synchronized Path scratch() throws IOException {
    if (shared == null) {
      shared = Files.createTempDirectory("phm-ops-");
      Path s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          org.phm.pack.PackWriter.deleteTree(s);
        } catch (IOException ignored) {
          // temp dir; best effort
        }
      }));
    }
    return shared;
  }

  /** The sample ICS (2,000 patients, injected bad rows), generated once per JVM. */
  static synchronized Path input() throws IOException {
    if (input == null) {
      Path dir = scratch().resolve("input");
      Generator.generate(new GeneratorOptions(PATIENTS, 42, dir, RUN_DATE, 0.001));
      input = dir;
    }
    return input;
  }

  /** A copy of the first local-mode pack published for {@link #input()} on {@link #RUN_DATE}. */
  static synchronized Path referencePack() throws Exception {
    if (reference == null) {
      Path root = scratch().resolve("reference-packs");
      Result r = phm(Map.of(), "nightly", "--input", input().toString(), "--out", root.toString(),
          "--run-date", RUN_DATE.toString(), "--demo", "--log-format", "json");
      assertEquals(0, r.code(), r.toString());
      keepAsReference(root.resolve("latest"));
    }
    return reference;
  }

  /** Records (a copy of) a local pack as the reference for later comparisons. */
  static synchronized void keepAsReference(Path pack) throws IOException {
    if (reference == null) {
      Path real = pack.toRealPath();
      Path copy = scratch().resolve("reference").resolve(real.getFileName());
      copyTree(real, copy);
      reference = copy;
    }
  }

  // ---- processes ---------------------------------------------------------------------------------

  /** Spark's Java 17 JVM flags, from the root pom (the one source, as ./phm uses). */
  static List<String> sparkJvmFlags() throws IOException {
    String pom = Files.readString(repo().resolve("pom.xml"));
    Matcher m = Pattern.compile("<spark.jvm.flags>(.*?)</spark.jvm.flags>", Pattern.DOTALL).matcher(pom);
    assertTrue(m.find(), "spark.jvm.flags not found in pom.xml");
    return Arrays.asList(m.group(1).trim().split("\\s+"));
  }

  /** The test JVM's class path (our classes and every dependency), for child JVMs. */
  static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A started child JVM whose stdout and stderr go to files. */
  record Proc(String name, Process process, Path out, Path err) {
    String stdout() {
      return read(out);
    }

    String stderr() {
      return read(err);
    }

    long pid() {
      return process.pid();
    }

    /** Waits (bounded) until stdout or stderr contains {@code text}; fails if the process exits first. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < end) {
        if (stdout().contains(text) || stderr().contains(text)) {
          return;
        }
        if (!process.isAlive()) {
          fail(name + " exited with " + process.exitValue() + " before printing '" + text + "'\n" + tail());
        }
        Thread.sleep(250);
      }
      fail(name + " did not print '" + text + "' within " + timeout + "\n" + tail());
    }

    int await(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop();
        fail(name + " did not finish within " + timeout + "\n" + tail());
      }
      return process.exitValue();
    }

    /** Stops the process and its children (executors): TERM, then KILL after 10 s. */
    void stop() {
      List<ProcessHandle> kids = process.descendants().toList();
      kids.forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kids.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    String tail() {
      return "--- " + name + " stdout (tail):\n" + last(stdout(), 3000) + "\n--- stderr (tail):\n"
          + last(stderr(), 6000);
    }
  }

  /** Outcome of a finished {@code phm} process. */
  record Result(int code, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + last(stdout, 3000) + "\n--- stderr:\n" + last(stderr, 6000);
    }
  }

  private static int seq;

  static synchronized Proc start(String name, Map<String, String> env, List<String> command) throws IOException {
    Path logs = scratch().resolve("logs");
    Files.createDirectories(logs);
    String id = name + "-" + (++seq);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(logs.resolve(id + ".out").toFile())
        .redirectError(logs.resolve(id + ".err").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("PHM_"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // every child stays on loopback
    pb.environment().putAll(env);
    return new Proc(id, pb.start(), logs.resolve(id + ".out"), logs.resolve(id + ".err"));
  }

  /** Starts {@code phm ARGS} as its own JVM (what cron or systemd would run). */
  static Proc startPhm(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx2g"));
    cmd.addAll(sparkJvmFlags());
    cmd.addAll(List.of("-Dphm.repo.dir=" + repo(), "-Dspark.ui.enabled=false", "-cp", classPath(),
        "org.phm.jobs.Phm"));
    cmd.addAll(List.of(args));
    return start("phm-" + args[0], env, cmd);
  }

  static Result phm(Map<String, String> env, String... args) throws Exception {
    Proc p = startPhm(env, args);
    int code = p.await(RUN_TIMEOUT);
    return new Result(code, p.stdout(), p.stderr());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  // ---- files -------------------------------------------------------------------------------------

  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  static String last(String s, int n) {
    return s.length() <= n ? s : "…" + s.substring(s.length() - n);
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  // ---- pack comparison ---------------------------------------------------------------------------


  /**
   * Asserts that every data file of pack {@code a} has a counterpart in {@code b} (same table, same part
   * number; names otherwise carry a random id) of the same size whose bytes are identical up to the
   * Parquet footer: the data pages are byte-identical. Returns how many file pairs differ at all (in
   * the footer only): parquet-java writes each column chunk's encodings from a hash set whose order
   * can change from one JVM to the next, so whole-file checksums are not reproducible. Both packs must
   * have verified against their manifests (file checksums are taken from them).
   */
  static int assertDataPagesIdentical(Path a, Path b) throws IOException {
    Map<String, Manifest.FileEntry> fb = new TreeMap<>();
    for (Manifest.TableEntry t : PackVerifier.readManifest(b).tables()) {
      t.files().forEach(f -> fb.put(stripUuid(f.path()), f));
    }
    int footerOnly = 0;
    List<String> problems = new ArrayList<>();
    for (Manifest.TableEntry t : PackVerifier.readManifest(a).tables()) {
      for (Manifest.FileEntry f : t.files()) {
        Manifest.FileEntry g = fb.remove(stripUuid(f.path()));
        if (g == null || g.bytes() != f.bytes()) {
          problems.add(f.path() + ": " + (g == null ? "no counterpart" : f.bytes() + " vs " + g.bytes() + " bytes"));
          continue;
        }
        if (f.sha256().equals(g.sha256())) {
          continue;
        }
        byte[] x = Files.readAllBytes(a.resolve(f.path()));
        byte[] y = Files.readAllBytes(b.resolve(g.path()));
        int footerStart = x.length - 8 - ((x[x.length - 8] & 0xFF) | (x[x.length - 7] & 0xFF) << 8
            | (x[x.length - 6] & 0xFF) << 16 | (x[x.length - 5] & 0xFF) << 24);
        if (!Arrays.equals(x, 0, footerStart, y, 0, footerStart)) {
          problems.add(f.path() + ": data pages differ");
        } else {
          footerOnly++;
        }
      }
    }
    fb.keySet().forEach(k -> problems.add(k + ": only in " + b));
    assertTrue(problems.isEmpty(), "Parquet files differ:\n  " + String.join("\n  ", problems));
    return footerOnly;
  }

  private static String stripUuid(String path) {
    return path.replaceAll("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "");
  }

  /** The manifest without what legitimately differs between runs (run id, timestamps, timings, file names). */
  static Map<String, Object> comparableManifest(Manifest m, boolean includeMaster) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("schemaVersion", m.schemaVersion());
    c.put("runDate", m.runDate());
    c.put("engineVersion", m.engineVersion());
    c.put("sparkVersion", m.sparkVersion());
    if (includeMaster) {
      c.put("sparkMaster", m.sparkMaster());
    }
    c.put("inputs", m.inputs());
    c.put("tables", m.tables().stream().map(t -> List.of(t.name(), t.area(), t.sensitivity(), t.rows(),
        t.partitionBy())).toList());
    c.put("stages", m.stages().stream().map(Manifest.StageTiming::stage).toList());
    Map<String, Object> report = new TreeMap<>(m.runReport());
    if (!includeMaster) {
      report.remove("spark_default_parallelism");
    }
    c.put("runReport", report);
    return c;
  }

  /**
   * Asserts two packs hold the same rows in every table (as multisets: order-free, duplicates
   * counted), comparing on Spark without collecting patient rows. Doubles are compared rounded to
   * {@code doubleDigits} decimals when non-negative (summation order may differ between executors).
   */
  static void assertSameRows(SparkSession spark, Path a, Path b, int doubleDigits) {
    Manifest ma = PackVerifier.readManifest(a);
    Manifest mb = PackVerifier.readManifest(b);
    assertEquals(ma.tables().stream().map(Manifest.TableEntry::name).toList(),
        mb.tables().stream().map(Manifest.TableEntry::name).toList(), "table lists differ");
    List<String> differences = new ArrayList<>();
    for (Manifest.TableEntry t : ma.tables()) {
      Dataset<Row> x = normalise(spark.read().parquet(a.resolve(t.area()).resolve(t.name()).toString()), doubleDigits);
      Dataset<Row> y = normalise(spark.read().parquet(b.resolve(t.area()).resolve(t.name()).toString()), doubleDigits);
      if (!x.schema().equals(y.schema())) {
        differences.add(t.name() + ": schema " + x.schema().simpleString() + " vs " + y.schema().simpleString());
        continue;
      }
      long onlyA = x.exceptAll(y).count();
      long onlyB = y.exceptAll(x).count();
      if (onlyA != 0 || onlyB != 0) {
        differences.add(t.name() + ": " + onlyA + " rows only in " + a.getFileName() + ", " + onlyB
            + " only in " + b.getFileName() + "; first of them (unrounded):\n    " + sample(spark, a, t, x, y)
            + "\n    " + sample(spark, b, t, y, x));
      }
    }
    assertTrue(differences.isEmpty(), "packs differ:\n  " + String.join("\n  ", differences));
  }

  /** Up to three unrounded rows of {@code pack}'s table whose normalised form is in {@code x} but not {@code y}. */
  private static String sample(SparkSession spark, Path pack, Manifest.TableEntry t, Dataset<Row> x, Dataset<Row> y) {
    Dataset<Row> raw = spark.read().parquet(pack.resolve(t.area()).resolve(t.name()).toString()).as("r");
    Dataset<Row> keys = x.exceptAll(y).limit(3).as("k");
    Column on = functions.lit(true);
    for (StructField f : raw.schema().fields()) {
      DataType dt = f.dataType();
      if (!dt.equals(DataTypes.DoubleType) && !dt.equals(DataTypes.FloatType)) {
        on = on.and(functions.col("r.`" + f.name() + "`").eqNullSafe(functions.col("k.`" + f.name() + "`")));
      }
    }
    return pack.getFileName() + ": " + raw.join(keys, on, "left_semi").limit(3).collectAsList();
  }

  private static Dataset<Row> normalise(Dataset<Row> ds, int doubleDigits) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : ds.schema().fields()) {
      Column c = functions.col("`" + f.name() + "`");
      DataType t = f.dataType();
      if (doubleDigits >= 0 && (t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType))) {
        c = functions.round(c.cast(DataTypes.DoubleType), doubleDigits);
      }
      cols.add(c.as(f.name()));
    }
    return ds.select(cols.toArray(Column[]::new));
  }
}
