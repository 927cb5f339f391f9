package org.phm.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.query.FixturePack;
import org.phm.spark.SharedSpark;

/**
 * Executes every notebook headlessly ({@code jupyter nbconvert --execute}) on the phm-java kernel,
 * installed by notebooks/install-kernel.sh with this test's class path, against a freshly written
 * fixture pack (or the pack named by {@code -Dphm.notebooks.pack}); fails if any cell errors and
 * checks that charts and independently computed figures appear in the outputs.
 */
class NotebookExecutionTest {
  @TempDir static Path work;
  private static Path notebooksDir;
  private static Path pack;
  private static Path jupyterData;

  @BeforeAll
  static void setUp() throws Exception {
    notebooksDir = Path.of(System.getProperty("phm.notebooks.dir", ".")).toAbsolutePath();
    String given = System.getProperty("phm.notebooks.pack");
    pack = given != null && !given.isBlank() ? Path.of(given)
        : FixturePack.build(SharedSpark.get(), work.resolve("packs"));
    jupyterData = work.resolve("jupyter");
    ProcessBuilder install = new ProcessBuilder(notebooksDir.resolve("install-kernel.sh").toString(),
        "--prefix", jupyterData.toString());
    install.environment().put("PHM_KERNEL_CLASSPATH", System.getProperty("java.class.path"));
    install.environment().put("PHM_KERNEL_HEAP", "-Xmx1500m");
    Result r = run(install, 900);
    if (r.exit != 0) {
      fail("install-kernel.sh failed (" + r.exit + "):\n" + r.output);
    }
    assertTrue(Files.exists(jupyterData.resolve("share/jupyter/kernels/phm-java/kernel.json")));
  }

  record Result(int exit, String output) {}

  static Result run(ProcessBuilder pb, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(work, "proc", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("timed out after " + timeoutSeconds + " s: " + pb.command() + "\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Executes one notebook and returns the executed notebook's JSON. */
  static JsonNode execute(String name) throws Exception {
    // executed notebooks are kept as build artefacts (target/executed-notebooks) for inspection
    Path out = Path.of(System.getProperty("phm.notebooks.out", work.resolve("executed").toString()));
    Files.createDirectories(out);
    ProcessBuilder pb = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=phm-java", "--ExecutePreprocessor.timeout=300",
        "--output-dir", out.toString(), notebooksDir.resolve(name).toString());
    Map<String, String> env = pb.environment();
    env.put("JUPYTER_PATH", jupyterData.resolve("share/jupyter").toString());
    env.put("PHM_PACK", pack.toString());
    env.put("PHM_RESTRICTED", "1");
    env.put("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString());
    env.put("IPYTHONDIR", work.resolve("ipython").toString());
    Result r = run(pb, 600);
    if (r.exit != 0) {
      fail("notebook " + name + " failed (exit " + r.exit + "):\n" + tail(r.output, 6000));
    }
    JsonNode nb = new ObjectMapper().readTree(out.resolve(name).toFile());
    for (JsonNode cell : nb.path("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        if ("error".equals(o.path("output_type").asText())) {
          fail(name + ": cell errored: " + o);
        }
      }
    }
    return nb;
  }

  static List<String> outputs(JsonNode nb, String mime) {
    List<String> out = new ArrayList<>();
    for (JsonNode cell : nb.path("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        JsonNode d = o.path("data").path(mime);
        if (!d.isMissingNode()) {
          StringBuilder sb = new StringBuilder();
          if (d.isArray()) {
            d.forEach(x -> sb.append(x.asText()));
          } else {
            sb.append(d.asText());
          }
          out.add(sb.toString());
        }
      }
    }
    return out;
  }

  /** The text/html output of the code cell whose source contains {@code marker}. */
  static String cellHtml(JsonNode nb, String marker) {
    for (JsonNode cell : nb.path("cells")) {
      StringBuilder src = new StringBuilder();
      cell.path("source").forEach(x -> src.append(x.asText()));
      if ("code".equals(cell.path("cell_type").asText()) && src.toString().contains(marker)) {
        StringBuilder html = new StringBuilder();
        for (JsonNode o : cell.path("outputs")) {
          o.path("data").path("text/html").forEach(x -> html.append(x.asText()));
          if (o.path("data").path("text/html").isTextual()) {
            html.append(o.path("data").path("text/html").asText());
          }
        }
        return html.toString();
      }
    }
    fail("no code cell contains " + marker);
    return "";
  }

  static List<String> streams(JsonNode nb) {
    List<String> out = new ArrayList<>();
    for (JsonNode cell : nb.path("cells")) {
      for (JsonNode o : cell.path("outputs")) {
        if ("stream".equals(o.path("output_type").asText())) {
          StringBuilder sb = new StringBuilder();
          JsonNode t = o.path("text");
          if (t.isArray()) {
            t.forEach(x -> sb.append(x.asText()));
          } else {
            sb.append(t.asText());
          }
          out.add(sb.toString());
        }
      }
    }
    return out;
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n);
  }

  @Test
  void everyNotebookRunsWithoutErrors() throws Exception {
    List<String> names;
    try (Stream<Path> s = Files.list(notebooksDir)) {
      names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList();
    }
    assertTrue(names.size() >= 3, names.toString());
    boolean fixture = System.getProperty("phm.notebooks.pack", "").isBlank();
    for (String name : names) {
      JsonNode nb = execute(name);
      List<String> svgs = outputs(nb, "image/svg+xml");
      assertTrue(svgs.size() >= 1, name + " produced no chart");
      svgs.forEach(svg -> assertTrue(svg.contains("class=\"mark\""), name + ": a chart without data points"));
      if (fixture && name.startsWith("01-")) {
        // the PCN table in the tour equals the fixture's practice list sizes summed independently
        String html = String.join("\n", outputs(nb, "text/html"));
        for (String pcn : List.of("U10001", "U10002", "U20001", "U20002")) {
          long expected = FixturePack.practices().stream().filter(p -> p.pcn().equals(pcn))
              .mapToLong(p -> sum(p.male()) + sum(p.female())).sum();
          String pcnName = FixturePack.practices().stream().filter(p -> p.pcn().equals(pcn)).findFirst()
              .orElseThrow().pcnName();
          assertTrue(html.contains("<td>" + pcnName + "</td><td style=\"text-align:right\">3</td>"
              + "<td style=\"text-align:right\">" + expected + "</td>"), pcnName + " " + expected);
        }
        assertEquals(2, outputs(nb, "image/svg+xml").size());
      }
      if (fixture && name.startsWith("02-")) {
        String md = String.join("\n", outputs(nb, "text/markdown"));
        assertTrue(md.matches("(?s).*SII: \\*\\*-?[0-9]+\\.[0-9]\\*\\* percentage points.*"), md);
      }
      if (fixture && name.startsWith("03-")) {
        String text = String.join("\n", streams(nb));
        assertTrue(text.contains("RESTRICTED tables registered"), "restricted section did not run");
        String html = String.join("\n", outputs(nb, "text/html"));
        assertTrue(!html.matches("(?s).*[0-9a-f]{64}.*"), "a pseudonymised patient id was displayed");
        // the table made to share: laid out with totals, and no count 1-7 left in it
        String shared = cellHtml(nb, "shareable(");
        assertTrue(shared.contains("Total"), shared);
        java.util.regex.Matcher cell = java.util.regex.Pattern.compile("<td[^>]*>([0-9]+)</td>").matcher(shared);
        int counts = 0;
        while (cell.find()) {
          long v = Long.parseLong(cell.group(1));
          assertTrue(v == 0 || v > 7, "unsuppressed small count " + v + " in " + shared);
          counts++;
        }
        assertTrue(counts > 0, "no published count in " + shared);
      }
    }
  }

  private static long sum(long[] xs) {
    long s = 0;
    for (long x : xs) {
      s += x;
    }
    return s;
  }

}
