package org.phm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import org.phm.config.PhmConfig;
import org.phm.ingest.PlainCsvSource;
import org.phm.jobs.NightlyJob;
import org.phm.jobs.RunLog;
import org.phm.pack.Manifest;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;
import org.phm.spark.SparkSessions;

/**
 * Benchmark harness: generates a synthetic ICS once (cached), runs the full nightly job in this JVM and reports
 * per-stage wall time, rows and rows/s, CPU, JIT and GC seconds, peak heap, process RSS, shuffle and spill bytes, pack
 * size and the engine call sites with the most executor time; then
 * times an indicator subset ({@code bench/subset.sql}) in Spark SQL and in DuckDB over the same CSV files.
 *
 * <p>Usage: {@code Benchmark --patients 100k|1.09M|5M|N [--seed S] --work DIR [--skip-duckdb] [--run-date D]}.
 * Writes {@code DIR/report-<N>-<seed>.json} and {@code .txt}.
 */
public final class Benchmark {
  /** Run date of the generated sample inputs and of the runs over them (fixed, so cached inputs stay valid). */
  static final LocalDate DEFAULT_RUN_DATE = LocalDate.of(2026, 11, 25);

  private Benchmark() {}

  /**
   * Metrics of finished tasks, summed per engine call site (the action that started the Spark job); the run's totals
   * are the sums over all sites.
   */
  static final class TaskListener extends SparkListener {
    /** Sums of one call site's tasks: executor run and CPU ms, shuffle and spill bytes, task count. */
    static final class Sums {
      long runMillis;
      long cpuMillis;
      long shuffleWritten;
      long shuffleRead;
      long spilledMemory;
      long spilledDisk;
      long tasks;

      /** Adds one finished task (a task without metrics counts as a task only). */
      synchronized void add(TaskMetrics m) {
        tasks++;
        if (m == null) {
          return;
        }
        runMillis += m.executorRunTime();
        cpuMillis += m.executorCpuTime() / 1_000_000;
        shuffleWritten += m.shuffleWriteMetrics().bytesWritten();
        shuffleRead += m.shuffleReadMetrics().totalBytesRead();
        spilledMemory += m.memoryBytesSpilled();
        spilledDisk += m.diskBytesSpilled();
      }

      synchronized void add(Sums o) {
        runMillis += o.runMillis;
        cpuMillis += o.cpuMillis;
        shuffleWritten += o.shuffleWritten;
        shuffleRead += o.shuffleRead;
        spilledMemory += o.spilledMemory;
        spilledDisk += o.spilledDisk;
        tasks += o.tasks;
      }
    }

    private final Map<String, Sums> bySite = new ConcurrentHashMap<>();
    private final List<long[]> taskTimes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, String> stageSite = new ConcurrentHashMap<>();
    private final Map<Long, String> executionSite = new ConcurrentHashMap<>();

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
      if (event instanceof SparkListenerSQLExecutionStart e) {
        executionSite.put(e.executionId(), callSite(e.details(), e.description()));
      }
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      java.util.Properties props = job.properties();
      String id = props == null ? null : props.getProperty("spark.sql.execution.root.id",
          props.getProperty("spark.sql.execution.id"));
      String site = id == null ? null : executionSite.get(Long.valueOf(id));
      if (site == null && props != null) {
        site = callSite(props.getProperty("callSite.long"), props.getProperty("callSite.short", "?"));
      }
      for (Object stageId : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) {
        stageSite.put((Integer) stageId, site == null ? "?" : site);
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      bySite.computeIfAbsent(stageSite.getOrDefault(end.stageId(), "?"), k -> new Sums()).add(end.taskMetrics());
      taskTimes.add(new long[] {end.taskInfo().launchTime(), end.taskInfo().finishTime()});
    }

    /** {@link #occupancy} of the tasks finished so far, between two epoch-millisecond times. */
    double[] occupancy(long fromMillis, long toMillis, int cores) {
      synchronized (taskTimes) {
        return occupancy(new ArrayList<>(taskTimes), fromMillis, toMillis, cores);
      }
    }

    /**
     * Seconds between {@code from} and {@code to} (epoch ms) with no task running, with some but fewer tasks than
     * {@code cores}, and with every core busy, given each task's launch and finish times. Time with idle cores is
     * time the driver (planning, collecting, work between jobs) or a stage's last tasks kept the others waiting.
     */
    static double[] occupancy(List<long[]> tasks, long from, long to, int cores) {
      List<long[]> edges = new ArrayList<>(); // time, +1 launch / -1 finish
      for (long[] t : tasks) {
        long a = Math.max(from, t[0]);
        long b = Math.min(to, t[1]);
        if (a < b) {
          edges.add(new long[] {a, 1});
          edges.add(new long[] {b, -1});
        }
      }
      edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      double[] out = new double[3];
      long last = from;
      int running = 0;
      for (long[] e : edges) {
        out[running == 0 ? 0 : running < cores ? 1 : 2] += (e[0] - last) / 1e3;
        last = e[0];
        running += (int) e[1];
      }
      out[running == 0 ? 0 : running < cores ? 1 : 2] += (to - last) / 1e3;
      return out;
    }

    /** Sums over every call site. */
    Sums total() {
      Sums t = new Sums();
      bySite.values().forEach(t::add);
      return t;
    }

    /** The first two engine frames (org.phm, not the harness) of a stage's call stack, else the stage name. */
    static String callSite(String details, String name) {
      List<String> frames = new ArrayList<>();
      for (String line : details == null ? new String[0] : details.split("\n")) {
        String f = line.strip();
        if (f.startsWith("org.phm.") && !f.startsWith("org.phm.bench.") && !f.startsWith("org.phm.jobs.")) {
          frames.add(f.replaceFirst("^org\\.phm\\.", "").replaceAll("\\([A-Za-z]+\\.java:", "("));
          if (frames.size() == 2) {
            break;
          }
        }
      }
      return frames.isEmpty() ? name : String.join(" < ", frames);
    }

    /** The call sites with the most executor time, largest first. */
    List<Map<String, Object>> top(int n) {
      List<Map<String, Object>> out = new ArrayList<>();
      bySite.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().runMillis, x.getValue().runMillis))
          .limit(n).forEach(e -> {
            Sums v = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("call_site", e.getKey());
            m.put("executor_seconds", v.runMillis / 1e3);
            m.put("executor_cpu_seconds", v.cpuMillis / 1e3);
            m.put("spill_memory_bytes", v.spilledMemory);
            m.put("shuffle_write_bytes", v.shuffleWritten);
            m.put("tasks", v.tasks);
            out.add(m);
          });
      return out;
    }
  }

  /** Parses 100k, 1.09M (= the reference ICS, 1,092,110), 5M or a plain number. */
  static int patients(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "").replace(",", "");
    if (t.equals("1.09m")) {
      return 1_092_110;
    }
    double mult = 1;
    if (t.endsWith("k")) {
      mult = 1e3;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mult = 1e6;
      t = t.substring(0, t.length() - 1);
    }
    long n = Math.round(Double.parseDouble(t) * mult);
    if (n < 100 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--patients must be between 100 and " + Integer.MAX_VALUE + ": " + s);
    }
    return (int) n;
  }

  public static void main(String[] args) throws Exception {
    String patientsArg = null;
    long seed = 1;
    Path work = null;
    boolean skipDuck = false;
    boolean subsetOnly = false;
    boolean trainInNightly = false;
    Integer shufflePartitions = null;
    LocalDate runDate = DEFAULT_RUN_DATE;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--patients" -> patientsArg = args[++i];
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--skip-duckdb" -> skipDuck = true;
        case "--subset-only" -> subsetOnly = true;
        case "--train-in-nightly" -> trainInNightly = true;
        case "--run-date" -> runDate = LocalDate.parse(args[++i]);
        case "--shuffle-partitions" -> shufflePartitions = Integer.valueOf(args[++i]);
        case "-h", "--help" -> {
          System.out.println("usage: bench --patients 100k|1.09M|5M|N [--seed S] [--work DIR] [--skip-duckdb]"
              + " [--subset-only] [--train-in-nightly] [--run-date yyyy-MM-dd] [--shuffle-partitions N]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (patientsArg == null) {
      throw new IllegalArgumentException("--patients is required");
    }
    if (work == null) {
      work = Path.of("bench-work");
    }
    int n = patients(patientsArg);
    Map<String, Object> report = run(n, seed, work.toAbsolutePath(), runDate, skipDuck, subsetOnly,
        shufflePartitions, trainInNightly);
    String base = "report-" + n + "-" + seed;
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(work.resolve(base + ".json"), om.writeValueAsString(report));
    String text = text(report);
    Files.writeString(work.resolve(base + ".txt"), text);
    System.out.println(text);
    System.out.println("report: " + work.resolve(base + ".json"));
  }

  static Map<String, Object> run(int n, long seed, Path work, LocalDate runDate, boolean skipDuck, boolean subsetOnly,
      Integer shufflePartitions, boolean trainInNightly) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("patients", n);
    r.put("seed", seed);
    r.put("run_date", runDate.toString());
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    r.put("load_average_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path input = work.resolve("input-" + n + "-" + seed);
    Path done = input.resolve(".complete");
    if (!Files.exists(done)) {
      long t0 = System.nanoTime();
      Generator.generate(new GeneratorOptions(n, seed, input, runDate));
      Files.writeString(done, runDate.toString());
      r.put("generate_seconds", (System.nanoTime() - t0) / 1e9);
    }
    r.put("input_bytes", size(input));
    Path riskModel = subsetOnly || trainInNightly ? null : approvedModel(r, input, work, n, seed, runDate);

    SparkSession spark = SparkSessions.getOrCreate("phm-bench", null);
    TaskListener tasks = new TaskListener();
    spark.sparkContext().addSparkListener(tasks);
    if (!subsetOnly) {
      r.put("nightly", nightly(n, seed, work, runDate, shufflePartitions, riskModel, tasks));
    }
    r.put("shuffle_partitions", Integer.valueOf(spark.conf().get("spark.sql.shuffle.partitions")));
    subset(r, spark, input, work, runDate, skipDuck);
    r.put("load_average_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return r;
  }

  /**
   * The approved risk model the nightly scores with, as in operation: trained by {@code phm train} on the same
   * extracts in a separate JVM (so it neither warms up nor loads the benchmarked one), timed on its own, and cached
   * beside the input; {@code --train-in-nightly} measures the nightly that trains its own model instead.
   */
  private static Path approvedModel(Map<String, Object> r, Path input, Path work, int n, long seed, LocalDate runDate)
      throws IOException, InterruptedException {
    Path models = work.resolve("models-" + n + "-" + seed + "-" + runDate);
    Path cached = savedModel(models);
    Map<String, Object> m = new LinkedHashMap<>();
    if (cached == null) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.phm.jobs.Phm", "train",
          "--input", input.toString(), "--run-date", runDate.toString(), "--demo", "--log-format", "text",
          "--models", models.toString()));
      long t0 = System.nanoTime();
      int code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
      if (code != 0) {
        throw new IllegalStateException("phm train exited with " + code);
      }
      m.put("training_seconds", (System.nanoTime() - t0) / 1e9);
      cached = savedModel(models);
      if (cached == null) {
        throw new IllegalStateException("phm train saved no model under " + models);
      }
    }
    m.put("model_dir", cached.toString());
    m.put("trained", m.containsKey("training_seconds") ? "now, separate JVM" : "cached");
    r.put("risk_model", m);
    return cached;
  }

  /** The one saved model under a models directory, or null. */
  private static Path savedModel(Path models) throws IOException {
    if (!Files.isDirectory(models)) {
      return null;
    }
    try (java.util.stream.Stream<Path> s = Files.list(models)) {
      return s.filter(d -> Files.isRegularFile(d.resolve(org.phm.risk.ModelStore.MODEL_JSON))).findFirst().orElse(null);
    }
  }

  private static Map<String, Object> nightly(int n, long seed, Path work, LocalDate runDate, Integer shufflePartitions,
      Path riskModel, TaskListener tasks) throws IOException {
    Path input = work.resolve("input-" + n + "-" + seed);
    HeapPeak heap = HeapPeak.start();
    long cpu0 = cpuNanos();
    long gc0 = gcMillis();
    long jit0 = jitMillis();
    long gen0 = generatedClassesCompiled();
    long t0 = System.nanoTime();
    long start = System.currentTimeMillis();
    Path packs = work.resolve("packs-" + n + "-" + seed);
    PhmConfig cfg = PhmConfig.defaults().overlay(new PhmConfig(input.toString(), packs.toString(),
        runDate.toString(), null, shufflePartitions, 2, null, null, true, null, null, null, null,
        riskModel == null ? null : riskModel.toString(), null, null, "text"));
    NightlyJob.Result result = NightlyJob.run(cfg, new RunLog(System.out, "text", "pending"));
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - cpu0) / 1e9;
    Map<String, Object> nightly = new LinkedHashMap<>();
    nightly.put("wall_seconds", wall);
    nightly.put("cpu_seconds", cpu);
    nightly.put("gc_seconds", (gcMillis() - gc0) / 1e3);
    nightly.put("jit_compile_seconds", (jitMillis() - jit0) / 1e3);
    nightly.put("generated_classes_compiled", generatedClassesCompiled() - gen0);
    int cores = SparkSession.active().sparkContext().defaultParallelism();
    double[] busy = tasks.occupancy(start, System.currentTimeMillis(), cores);
    nightly.put("cores", cores);
    nightly.put("seconds_no_task_running", busy[0]);
    nightly.put("seconds_some_cores_idle", busy[1]);
    nightly.put("seconds_all_cores_busy", busy[2]);
    List<Map<String, Object>> stages = new ArrayList<>();
    for (Manifest.StageTiming s : result.manifest().stages()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", s.stage());
      m.put("seconds", s.seconds());
      m.put("rows_in", s.rowsIn());
      m.put("rows_out", s.rowsOut());
      m.put("rows_in_per_second", s.rowsIn() == null || s.seconds() <= 0 ? null : s.rowsIn() / s.seconds());
      stages.add(m);
    }
    nightly.put("stages", stages);
    nightly.put("peak_heap_bytes", heap.stop());
    nightly.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    nightly.put("peak_rss_bytes", vmHwmBytes());
    nightly.put("pack_bytes", size(result.pack()));
    TaskListener.Sums total = tasks.total();
    nightly.put("shuffle_write_bytes", total.shuffleWritten);
    nightly.put("shuffle_read_bytes", total.shuffleRead);
    nightly.put("spill_memory_bytes", total.spilledMemory);
    nightly.put("spill_disk_bytes", total.spilledDisk);
    nightly.put("spark_tasks", total.tasks);
    nightly.put("top_call_sites", tasks.top(15));
    return nightly;
  }

  private static void subset(Map<String, Object> r, SparkSession spark, Path input, Path work, LocalDate runDate,
      boolean skipDuck) throws Exception {
    Map<String, String> params = Map.of("RUN_DATE", runDate.toString(), "YEAR_AGO", runDate.minusYears(1).toString(),
        "SEASON_START", (runDate.getMonthValue() >= 9 ? runDate.getYear() : runDate.getYear() - 1) + "-09-01");
    List<String> statements = statements(params);
    Path esp = work.resolve("esp2013.csv");
    try (InputStream in = Benchmark.class.getResourceAsStream("/stats/esp2013.csv")) {
      Files.copy(in, esp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, Path> views = views(input, esp);
    Map<String, Object> subset = new LinkedHashMap<>();
    long s0 = System.nanoTime();
    List<Map<String, String>> sparkResults = sparkSubset(spark, views, statements);
    double sparkSeconds = (System.nanoTime() - s0) / 1e9;
    subset.put("spark_seconds", sparkSeconds);
    subset.put("result_rows", sparkResults.stream().mapToInt(Map::size).sum());
    if (!skipDuck) {
      long d0 = System.nanoTime();
      List<Map<String, String>> duckResults = duckSubset(views, statements);
      double duckSeconds = (System.nanoTime() - d0) / 1e9;
      subset.put("duckdb_seconds", duckSeconds);
      subset.put("spark_over_duckdb", sparkSeconds / duckSeconds);
      subset.put("results_agree", agree(sparkResults, duckResults));
    }
    r.put("indicator_subset", subset);
  }

  private static Map<String, Path> views(Path input, Path esp) {
    Map<String, Path> v = new LinkedHashMap<>();
    v.put("patients", input.resolve("gp_patients.csv"));
    v.put("practices", input.resolve("practices.csv"));
    v.put("imd", input.resolve("imd_lsoa.csv"));
    v.put("events", input.resolve("gp_events.csv"));
    v.put("spells", input.resolve("inpatient_spells.csv"));
    v.put("esp", esp);
    return v;
  }

  static List<String> statements(Map<String, String> params) throws IOException {
    String sql;
    try (InputStream in = Benchmark.class.getResourceAsStream("/bench/subset.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      sql = sql.replace("${" + e.getKey() + "}", e.getValue());
    }
    List<String> out = new ArrayList<>();
    for (String s : sql.split(";")) {
      String body = s.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip();
      if (!body.isEmpty()) {
        out.add(body);
      }
    }
    return out;
  }

  private static List<Map<String, String>> sparkSubset(SparkSession spark, Map<String, Path> views,
      List<String> statements) {
    // the engine's reader for plain CSV (every extract the generator writes; a quote character would fail the read)
    views.forEach((name, path) -> PlainCsvSource.readWithHeader(spark, path).createOrReplaceTempView(name));
    List<Map<String, String>> results = new ArrayList<>();
    for (String s : statements) {
      Dataset<Row> d = spark.sql(s);
      if (s.toUpperCase(Locale.ROOT).startsWith("SELECT")) {
        Map<String, String> m = new TreeMap<>();
        for (Row row : d.collectAsList()) { // small aggregates only
          putRow(m, row.size(), i -> row.isNullAt(i) ? null : row.get(i));
        }
        results.add(m);
      }
    }
    return results;
  }

  private static List<Map<String, String>> duckSubset(Map<String, Path> views, List<String> statements)
      throws Exception {
    List<Map<String, String>> results = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("SET threads TO " + Runtime.getRuntime().availableProcessors());
      for (Map.Entry<String, Path> v : views.entrySet()) {
        st.execute("CREATE OR REPLACE TEMP VIEW " + v.getKey() + " AS SELECT * FROM read_csv('"
            + v.getValue().toString().replace("'", "''") + "', header = true, all_varchar = true)");
      }
      for (String s : statements) {
        if (s.toUpperCase(Locale.ROOT).startsWith("SELECT")) {
          Map<String, String> m = new TreeMap<>();
          try (ResultSet rs = st.executeQuery(s)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
              Object[] vals = new Object[md.getColumnCount()];
              for (int i = 0; i < vals.length; i++) {
                vals[i] = rs.getObject(i + 1);
              }
              putRow(m, vals.length, i -> vals[i]);
            }
          }
          results.add(m);
        } else {
          st.execute(s);
        }
      }
    }
    return results;
  }

  /** Keys a result row by its non-numeric leading columns; numbers rounded to 9 significant digits. */
  private static void putRow(Map<String, String> m, int size, java.util.function.IntFunction<Object> get) {
    StringBuilder key = new StringBuilder();
    StringBuilder val = new StringBuilder();
    for (int i = 0; i < size; i++) {
      Object o = get.apply(i);
      if (i < 2 && !(o instanceof Number && i > 0 && size == 2)) {
        key.append(o instanceof Number num ? String.valueOf(num.longValue()) : String.valueOf(o)).append('|');
      } else {
        val.append(o instanceof Number num ? String.format(Locale.ROOT, "%.9g", num.doubleValue()) : o).append('|');
      }
    }
    m.put(key.toString(), val.toString());
  }

  private static boolean agree(List<Map<String, String>> a, List<Map<String, String>> b) {
    return a.equals(b);
  }

  /**
   * Peak heap in use at one moment: the heap pools' total just before each garbage collection (when the heap is
   * fullest), and now. Summing each pool's own peak would add maxima reached at different times and can exceed
   * {@code -Xmx}.
   */
  static final class HeapPeak implements javax.management.NotificationListener {
    private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
    private final java.util.Set<String> heapPools = new java.util.HashSet<>();

    static HeapPeak start() {
      HeapPeak h = new HeapPeak();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          h.heapPools.add(p.getName());
        }
      }
      h.observe(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof javax.management.NotificationEmitter e) {
          e.addNotificationListener(h, null, null);
          h.emitters.add(e);
        }
      }
      return h;
    }

    void observe(long usedBytes) {
      peak.accumulateAndGet(usedBytes, Math::max);
    }

    @Override
    public void handleNotification(javax.management.Notification n, Object handback) {
      if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        return;
      }
      var info = com.sun.management.GarbageCollectionNotificationInfo.from(
          (javax.management.openmbean.CompositeData) n.getUserData());
      observe(heapBytes(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools));
    }

    /** Bytes used in {@code heapPools} of a per-pool usage map (non-heap pools such as Metaspace are left out). */
    static long heapBytes(Map<String, java.lang.management.MemoryUsage> byPool, java.util.Set<String> heapPools) {
      long sum = 0;
      for (var e : byPool.entrySet()) {
        if (heapPools.contains(e.getKey())) {
          sum += e.getValue().getUsed();
        }
      }
      return sum;
    }

    /** The peak seen so far. */
    long peak() {
      return peak.get();
    }

    /** Stops listening and returns the peak seen. */
    long stop() {
      observe(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      for (var e : emitters) {
        try {
          e.removeNotificationListener(this);
        } catch (javax.management.ListenerNotFoundException ignored) {
          // already removed
        }
      }
      return peak.get();
    }
  }

  /** Process CPU time in nanoseconds, or -1 when the JVM does not report it. */
  static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** Time spent in garbage collection so far (all collectors, wall milliseconds summed). */
  static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
  }

  /** JIT compilation time so far (all compiler threads), or 0 when the JVM does not report it. */
  static long jitMillis() {
    var c = ManagementFactory.getCompilationMXBean();
    return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
  }

  /** Classes Spark has generated and compiled (Janino) so far; a query whose code is in Spark's cache adds none. */
  static long generatedClassesCompiled() {
    return org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
  }

  /** Peak resident set size (VmHWM) of this process, or -1 when /proc is unavailable. */
  static long vmHwmBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> r) {
    var out = new java.io.ByteArrayOutputStream();
    PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
    p.printf("PHM benchmark: %,d patients, seed %s, %s cores, load %.1f -> %.1f%n", r.get("patients"), r.get("seed"),
        r.get("cores"), (Double) r.get("load_average_start"), (Double) r.get("load_average_end"));
    p.printf("input %.1f MB%n", ((Number) r.get("input_bytes")).longValue() / 1e6);
    Map<String, Object> model = (Map<String, Object>) r.get("risk_model");
    if (model == null) {
      p.printf("risk model: trained in the nightly (--train-in-nightly)%n");
    } else {
      p.printf("risk model: approved %s (%s%s); the nightly scores with it%n", model.get("model_dir"),
          model.get("trained"), model.containsKey("training_seconds")
              ? String.format(java.util.Locale.ROOT, ", phm train took %.1f s", model.get("training_seconds")) : "");
    }
    Map<String, Object> n = (Map<String, Object>) r.get("nightly");
    if (n != null) {
      nightlyText(p, n);
    }
    Map<String, Object> sub = (Map<String, Object>) r.get("indicator_subset");
    p.printf("indicator subset: spark %.2f s", sub.get("spark_seconds"));
    if (sub.containsKey("duckdb_seconds")) {
      p.printf(", duckdb %.2f s, ratio %.2f, results agree: %s", sub.get("duckdb_seconds"),
          sub.get("spark_over_duckdb"), sub.get("results_agree"));
    }
    p.println();
    return out.toString(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static void nightlyText(PrintStream p, Map<String, Object> n) {
    p.printf("nightly: wall %.1f s, cpu %.1f s, peak heap %.0f MB (max %.0f MB), peak RSS %.0f MB, pack %.1f MB, "
        + "shuffle write %.1f MB / read %.1f MB, spill %.1f MB (in memory) / %.1f MB (on disk)%n",
        n.get("wall_seconds"), n.get("cpu_seconds"),
        ((Number) n.get("peak_heap_bytes")).longValue() / 1e6, ((Number) n.get("max_heap_bytes")).longValue() / 1e6,
        ((Number) n.get("peak_rss_bytes")).longValue() / 1e6,
        ((Number) n.get("pack_bytes")).longValue() / 1e6, ((Number) n.get("shuffle_write_bytes")).longValue() / 1e6,
        ((Number) n.get("shuffle_read_bytes")).longValue() / 1e6,
        ((Number) n.getOrDefault("spill_memory_bytes", 0L)).longValue() / 1e6,
        ((Number) n.getOrDefault("spill_disk_bytes", 0L)).longValue() / 1e6);
    p.printf("  JIT compilation %.1f s, garbage collection %.1f s (JVM totals during the run), "
        + "%,d generated classes compiled%n", n.get("jit_compile_seconds"), n.get("gc_seconds"),
        ((Number) n.getOrDefault("generated_classes_compiled", 0L)).longValue());
    if (n.containsKey("cores")) {
      p.printf("  Spark tasks on the %d cores: all busy %.1f s, some idle %.1f s, none running %.1f s (the driver "
          + "between jobs, or a stage's last tasks)%n", ((Number) n.get("cores")).intValue(),
          n.get("seconds_all_cores_busy"), n.get("seconds_some_cores_idle"), n.get("seconds_no_task_running"));
    }
    p.printf("  %-14s %10s %14s %14s %14s%n", "stage", "seconds", "rows_in", "rows_out", "rows_in/s");
    for (Map<String, Object> s : (List<Map<String, Object>>) n.get("stages")) {
      p.printf("  %-14s %10.2f %14s %14s %14s%n", s.get("stage"), s.get("seconds"), fmt(s.get("rows_in")),
          fmt(s.get("rows_out")), fmt(s.get("rows_in_per_second")));
    }
    List<Map<String, Object>> sites = (List<Map<String, Object>>) n.get("top_call_sites");
    if (sites != null && !sites.isEmpty()) {
      p.printf("  where executor time went (engine call sites starting the Spark jobs; all stages of those jobs):%n");
      p.printf("  %10s %10s %10s %9s  %s%n", "exec_s", "cpu_s", "spill_MB", "shuf_MB", "call site");
      for (Map<String, Object> s : sites) {
        p.printf("  %10.1f %10.1f %10.0f %9.0f  %s%n", s.get("executor_seconds"), s.get("executor_cpu_seconds"),
            ((Number) s.get("spill_memory_bytes")).longValue() / 1e6,
            ((Number) s.get("shuffle_write_bytes")).longValue() / 1e6, s.get("call_site"));
      }
    }
  }

  private static String fmt(Object o) {
    return o == null ? "-" : String.format(Locale.ROOT, "%,d", ((Number) o).longValue());
  }
}
