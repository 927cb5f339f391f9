package org.phm.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deterministic synthetic ICS generator: writes every extract of contracts/extracts.yaml as the CSV files a
 * Nottingham &amp; Nottinghamshire-like ICS would receive, plus {@code _meta/injected_errors.csv} (the
 * deliberately bad rows) and {@code _meta/generation_report.json}. See docs/sample-data.md.
 *
 * <p>Practices are generated in parallel, each from its own seeded {@link SplittableRandom}, and written in
 * practice order, so the output depends only on (patients, seed, runDate, badRowFraction).
 */
public final class Generator {
  /** Bump when the generated content for a given seed changes. */
  public static final String VERSION = "1.0.0";
  public static final String META_DIR = "_meta";
  public static final String INJECTED_ERRORS = "injected_errors.csv";
  public static final String REPORT = "generation_report.json";

  private Generator() {}

  public static GenerationReport generate(GeneratorOptions opts) {
    long t0 = System.nanoTime();
    Hierarchy h = Hierarchy.load();
    Context cx = new Context(h, opts.seed(), opts.runDate(), opts.badRowFraction());
    int[] alloc = h.allocate(opts.patients());
    List<Hierarchy.Practice> ps = h.practices();
    SplittableRandom root = new SplittableRandom(opts.seed());
    long[] seeds = new long[ps.size()];
    long[] injSeeds = new long[ps.size()];
    for (int i = 0; i < ps.size(); i++) { seeds[i] = root.nextLong(); injSeeds[i] = root.nextLong(); }

    int nFiles = Extracts.FILES.length;
    long[] rows = new long[nFiles];
    long[] injected = new long[nFiles];
    long registered = 0;
    Path out = opts.outDir();
    try {
      Files.createDirectories(out.resolve(META_DIR));
      OutputStream[] os = new OutputStream[nFiles];
      for (int f = 0; f < nFiles; f++) {
        os[f] = new java.io.BufferedOutputStream(Files.newOutputStream(out.resolve(Extracts.FILES[f])), 1 << 16);
        os[f].write((Extracts.HEADERS[f] + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      StringBuilder errors = new StringBuilder("file,line_number,expected_reason\n");
      // reference files
      ByteBuf pb = new ByteBuf(1 << 14);
      for (Hierarchy.Practice p : ps) {
        pb.s(p.code()).comma().s(Hierarchy.csv(p.name())).comma().s(p.pcnCode()).comma().s(Hierarchy.csv(p.pcnName()))
            .comma().s(p.ccgCode()).comma().s(Hierarchy.csv(p.ccgName())).comma().s(p.icpCode()).comma()
            .s(Hierarchy.csv(p.icpName())).comma().s(Hierarchy.ICS_CODE).comma().s(Hierarchy.ICS_NAME).c('\n');
        rows[Extracts.PRACTICES]++;
      }
      os[Extracts.PRACTICES].write(pb.a, 0, pb.n);
      ByteBuf lb = new ByteBuf(1 << 16);
      for (Lsoas.Lsoa l : cx.lsoas.lsoas) {
        lb.s(l.code()).comma().s(l.name()).comma().s(l.localAuthority()).comma().s(Double.toString(l.score())).comma()
            .i(l.rank()).comma().i(l.decile()).c('\n');
        rows[Extracts.IMD]++;
      }
      os[Extracts.IMD].write(lb.a, 0, lb.n);

      int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "phm-generate");
        t.setDaemon(true);
        return t;
      });
      try {
        ArrayDeque<Future<PracticeGenerator>> inFlight = new ArrayDeque<>();
        int next = 0;
        int window = threads * 2;
        for (int done = 0; done < ps.size(); done++) {
          while (next < ps.size() && inFlight.size() < window) {
            final int i = next++;
            inFlight.add(pool.submit(() -> {
              PracticeGenerator g = new PracticeGenerator(cx, ps.get(i), alloc[i], seeds[i], injSeeds[i]);
              g.run();
              return g;
            }));
          }
          PracticeGenerator g = inFlight.poll().get();
          for (int f = 0; f < nFiles; f++) {
            Extracts.Sink s = g.sinks[f];
            if (s.buf.n > 0) os[f].write(s.buf.a, 0, s.buf.n);
            for (int e = 0; e < s.nErr; e++) {
              long line = 1 + rows[f] + s.err[2 * e];
              errors.append(Extracts.FILES[f]).append(',').append(line).append(',')
                  .append(Extracts.Reason.values()[s.err[2 * e + 1]].name()).append('\n');
              injected[f]++;
            }
            rows[f] += s.rows;
          }
          for (int c : g.listCount) registered += c;
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException("generation failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("generation interrupted", e);
      } finally {
        pool.shutdownNow();
      }
      for (OutputStream o : os) o.close();
      Files.writeString(out.resolve(META_DIR).resolve(INJECTED_ERRORS), errors, StandardCharsets.US_ASCII);

      Map<String, Long> rowMap = new LinkedHashMap<>();
      Map<String, Long> injMap = new LinkedHashMap<>();
      long bytes = 0;
      for (int f = 0; f < nFiles; f++) {
        rowMap.put(Extracts.FILES[f], rows[f]);
        injMap.put(Extracts.FILES[f], injected[f]);
        bytes += Files.size(out.resolve(Extracts.FILES[f]));
      }
      ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root2 = om.createObjectNode();
      root2.put("generator", "org.phm.sample.Generator");
      root2.put("generator_version", VERSION);
      root2.put("seed", opts.seed());
      root2.put("run_date", opts.runDate().toString());
      root2.put("patients_requested", opts.patients());
      root2.put("registered_patients", registered);
      root2.put("bad_row_fraction", opts.badRowFraction());
      ObjectNode files = root2.putObject("files");
      for (int f = 0; f < nFiles; f++) {
        ObjectNode fn = files.putObject(Extracts.FILES[f]);
        fn.put("rows", rows[f]);
        fn.put("injected_errors", injected[f]);
        fn.put("bytes", Files.size(out.resolve(Extracts.FILES[f])));
      }
      Files.writeString(out.resolve(META_DIR).resolve(REPORT), om.writeValueAsString(root2) + "\n",
          StandardCharsets.UTF_8);
      double secs = (System.nanoTime() - t0) / 1e9;
      return new GenerationReport(VERSION, opts.seed(), opts.runDate(), registered, rowMap, injMap, bytes, secs, out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing sample data to " + out, e);
    }
  }

  /** {@code --patients N --seed S --out DIR [--run-date yyyy-MM-dd] [--bad-row-fraction F]}. */
  public static void main(String[] args) {
    Integer patients = null;
    Long seed = null;
    Path out = null;
    LocalDate runDate = LocalDate.now(java.time.ZoneOffset.UTC);
    double bad = GeneratorOptions.DEFAULT_BAD_ROW_FRACTION;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) usage("missing value for " + a);
      String v = args[++i];
      switch (a) {
        case "--patients" -> patients = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--out" -> out = Path.of(v);
        case "--run-date" -> runDate = LocalDate.parse(v);
        case "--bad-row-fraction" -> bad = Double.parseDouble(v);
        default -> usage("unknown option " + a);
      }
    }
    if (patients == null || seed == null || out == null) usage("--patients, --seed and --out are required");
    GenerationReport r = generate(new GeneratorOptions(patients, seed, out, runDate, bad));
    System.out.printf("generated %d registered patients into %s in %.1f s (%.1f MB)%n", r.registeredPatients(),
        r.outDir(), r.seconds(), r.bytes() / 1e6);
    r.rows().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        System.out.printf("  %-30s %,12d rows (%d injected)%n", e.getKey(), e.getValue(), r.injectedErrors().get(e.getKey())));
  }

  private static void usage(String msg) {
    System.err.println(msg);
    System.err.println("usage: Generator --patients N --seed S --out DIR [--run-date yyyy-MM-dd] [--bad-row-fraction F]");
    System.exit(2);
  }
}
