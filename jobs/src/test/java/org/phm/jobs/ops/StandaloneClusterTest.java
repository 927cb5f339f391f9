package org.phm.jobs.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.pack.Manifest;
import org.phm.pack.PackVerifier;
import org.phm.spark.SharedSpark;

/**
 * Issue 8 scale-out: a real Spark standalone master and worker (Spark's own {@code Master} and
 * {@code Worker} classes from the Maven artifacts, as separate JVMs on 127.0.0.1) run the nightly job
 * submitted through {@code SparkSubmit} (the class behind spark-submit) with the cluster jar; the pack
 * must hold the same rows as the local-mode pack for the same inputs.
 *
 * <p>SPARK_HOME is laid out like a Spark distribution: {@code jars/} holds links to the Spark runtime
 * jars (the project's dependencies minus our own artifacts and the non-Spark libraries the cluster jar
 * shades), which is what the worker puts on the executor class path.
 */
class StandaloneClusterTest {
  /** Artifacts that are ours, bundled into phm-jobs-cluster.jar, or test-only: not part of a Spark install. */
  static final List<String> NOT_SPARK = List.of("phm-", "picocli-", "poi-", "xmlbeans-", "curvesapi-",
      "SparseBitSet-", "junit-", "opentest4j-", "apiguardian-", "duckdb", "tablesaw");

  static Path sparkHome;
  static int masterPort;
  static Ops.Proc master;
  static Ops.Proc worker;
  static Ops.Proc submit;
  static Map<String, String> env;

  @BeforeAll
  static void startCluster() throws Exception {
    Ops.input();
    sparkHome = Ops.scratch().resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.createDirectories(sparkHome.resolve("conf"));
    for (String entry : Ops.classPath().split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String n = p.getFileName().toString();
      if (n.endsWith(".jar") && Files.isRegularFile(p) && NOT_SPARK.stream().noneMatch(n::startsWith)
          && !n.endsWith("-tests.jar")) {
        Files.createSymbolicLink(sparkHome.resolve("jars").resolve(n), p);
      }
    }
    env = new HashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // what bin/load-spark-env.sh exports for a distribution; the worker's executor command builder needs it
    env.put("SPARK_SCALA_VERSION", "2.13");

    masterPort = Ops.freePort();
    master = Ops.start("spark-master", env, daemon("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(Ops.freePort())));
    master.awaitOutput("I have been elected leader", Duration.ofMinutes(3));
    worker = Ops.start("spark-worker", env, daemon("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
        "--port", String.valueOf(Ops.freePort()), "--webui-port", String.valueOf(Ops.freePort()),
        "--cores", "1", "--memory", "2g", "--work-dir", sparkHome.resolve("work").toString(), masterUrl()));
    worker.awaitOutput("Successfully registered with master", Duration.ofMinutes(3));
  }

  static String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  static List<String> daemon(String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Ops.java(), "-Xmx512m"));
    cmd.addAll(Ops.sparkJvmFlags());
    cmd.addAll(List.of("-cp", sparkHome.resolve("conf") + File.separator + File.pathSeparator
        + sparkHome.resolve("jars") + File.separator + "*", mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @AfterAll
  static void stopCluster() {
    for (Ops.Proc p : new Ops.Proc[] {submit, worker, master}) {
      if (p != null && p.process().isAlive()) {
        p.stop();
      }
    }
  }

  @Test
  void nightlyOnStandaloneClusterEqualsLocalMode() throws Exception {
    Path reference = Ops.referencePack();
    Path root = Ops.scratch().resolve("cluster-packs");
    List<String> cmd = new ArrayList<>(List.of(Ops.java(), "-Xmx2g"));
    cmd.addAll(Ops.sparkJvmFlags());
    cmd.addAll(List.of("-cp", sparkHome.resolve("conf") + File.separator + File.pathSeparator
        + sparkHome.resolve("jars") + File.separator + "*", "org.apache.spark.deploy.SparkSubmit",
        "--master", masterUrl(), "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false",
        "--class", "org.phm.jobs.Phm"));
    cmd.addAll(appJar());
    cmd.addAll(List.of("nightly", "--input", Ops.input().toString(), "--out", root.toString(),
        "--run-date", Ops.RUN_DATE.toString(), "--demo", "--log-format", "json"));
    submit = Ops.start("spark-submit", env, cmd);
    int code = submit.await(Ops.RUN_TIMEOUT);
    assertEquals(0, code, submit.tail());
    assertTrue(submit.stdout().contains("\"event\":\"run_done\""), submit.tail());

    Path pack = root.resolve("latest");
    Manifest m = PackVerifier.readManifest(pack);
    assertEquals(masterUrl(), m.sparkMaster(), "the run used the standalone master, not local mode");
    assertTrue(PackVerifier.verify(pack, SharedSpark.get()).ok());
    assertTrue(Ops.read(worker.err()).contains("Asked to launch executor") || Ops.read(worker.out())
        .contains("Asked to launch executor"), "the worker launched an executor");
    assertTrue(executorLogs().stream().anyMatch(s -> s.contains("Finished task")), "tasks ran on the executor");

    Manifest local = PackVerifier.readManifest(reference);
    assertEquals(Ops.comparableManifest(local, false), Ops.comparableManifest(m, false));
    // exact for every value except doubles: MLlib's logistic regression (model_card coefficients) sums in a
    // different order across executors and agrees with local mode to ~1e-9, so doubles are compared to 6 dp
    Ops.assertSameRows(SharedSpark.get(), reference, pack, 6);
  }

  /** The executor stderr logs the worker wrote under its work directory. */
  static List<String> executorLogs() throws IOException {
    try (Stream<Path> s = Files.walk(sparkHome.resolve("work"))) {
      return s.filter(p -> p.getFileName().toString().equals("stderr")).map(Ops::read).toList();
    }
  }

  /**
   * The application jar: {@code phm-jobs-cluster.jar} of this build when it is present and newer than
   * every compiled class (after {@code mvn package}); otherwise (tests run before packaging, as in
   * {@code mvn verify}) an application jar of the compiled classes plus the same non-Spark libraries
   * passed with {@code --jars}.
   */
  static List<String> appJar() throws IOException {
    List<Path> classDirs = new ArrayList<>();
    List<Path> libs = new ArrayList<>();
    for (String entry : Ops.classPath().split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String n = p.getFileName().toString();
      if (Files.isDirectory(p) && n.equals("classes")) {
        classDirs.add(p);
      } else if (n.endsWith(".jar") && !n.endsWith("-tests.jar") && (n.startsWith("phm-")
          || n.startsWith("picocli-") || n.startsWith("poi-")
          || n.startsWith("xmlbeans-") || n.startsWith("curvesapi-") || n.startsWith("SparseBitSet-"))) {
        libs.add(p);
      }
    }
    Path jobsClasses = classDirs.stream().filter(p -> p.getParent().getParent().getFileName().toString()
        .equals("jobs")).findFirst().orElseThrow(() -> new IllegalStateException("jobs classes not on " + classDirs));
    Path cluster = jobsClasses.getParent().resolve("phm-jobs-cluster.jar");
    if (Files.isRegularFile(cluster) && newestClass(classDirs) < Files.getLastModifiedTime(cluster).toMillis()) {
      System.out.println("[ops] submitting " + cluster);
      return List.of(cluster.toString());
    }
    Path jar = Ops.scratch().resolve("phm-app.jar");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Path dir : classDirs) {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
            if (seen.add(name)) {
              out.putNextEntry(new JarEntry(name));
              Files.copy(f, out);
              out.closeEntry();
            }
            return FileVisitResult.CONTINUE;
          }
        });
      }
    }
    System.out.println("[ops] " + cluster + " absent or older than the classes: submitting " + jar + " with --jars "
        + libs);
    return List.of("--jars", String.join(",", libs.stream().map(Path::toString).toList()), jar.toString());
  }

  private static long newestClass(List<Path> dirs) throws IOException {
    long newest = 0;
    for (Path d : dirs) {
      try (Stream<Path> s = Files.walk(d)) {
        newest = Math.max(newest, s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().lastModified()).max()
            .orElse(0));
      }
    }
    return newest;
  }
}
