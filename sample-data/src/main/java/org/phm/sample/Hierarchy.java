package org.phm.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic ICS organisation hierarchy (3 ICPs, 6 CCGs, 22 PCNs, 135 practices) built from the
 * published May 2019 Nottingham &amp; Nottinghamshire PCN configuration (classpath resource
 * {@code practice_list_sizes_2019.csv}), with clearly fake codes, and the allocation of a requested
 * number of patients to practices in proportion to the published list sizes.
 */
public final class Hierarchy {
  public static final String RESOURCE = "/practice_list_sizes_2019.csv";
  public static final String ICS_CODE = "QT1";
  public static final String ICS_NAME = "Nottingham and Nottinghamshire";

  /** One practice of the published configuration with its synthetic codes. */
  public record Practice(int index, String code, String name, String pcnCode, String pcnName,
                         String ccgCode, String ccgName, String icpCode, String icpName, int publishedSize) {
    /** True for Nottingham City practices (younger, more deprived, more ethnically diverse population). */
    public boolean city() { return "Nottingham City".equals(icpName); }
    /** True for the Mid Nottinghamshire ICP (served by Sherwood Forest Hospitals, RK5). */
    public boolean mid() { return "Mid Nottinghamshire".equals(icpName); }
  }

  private final List<Practice> practices;

  private Hierarchy(List<Practice> practices) { this.practices = List.copyOf(practices); }

  public List<Practice> practices() { return practices; }

  public long publishedTotal() {
    long t = 0;
    for (Practice p : practices) t += p.publishedSize();
    return t;
  }

  /** Loads the hierarchy from the classpath resource; fails with the file name and line on bad input. */
  public static Hierarchy load() {
    try (InputStream in = Hierarchy.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("classpath resource " + RESOURCE + " not found");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = r.readLine();
      if (header == null || !header.trim().equals("icp,ccg,pcn,practice_seq,practice_name,registered_patients")) {
        throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
      }
      Map<String, String> icpCodes = new LinkedHashMap<>();
      Map<String, String> ccgCodes = new LinkedHashMap<>();
      Map<String, String> pcnCodes = new LinkedHashMap<>();
      List<Practice> list = new ArrayList<>();
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        List<String> f = org.phm.codelists.CsvLine.cells(line);
        if (f.size() != 6) throw new IllegalStateException(RESOURCE + " line " + lineNo + ": expected 6 fields, got " + f.size());
        int size;
        try {
          size = Integer.parseInt(f.get(5).trim());
        } catch (NumberFormatException e) {
          throw new IllegalStateException(RESOURCE + " line " + lineNo + ": registered_patients is not an integer: " + f.get(5));
        }
        if (size <= 0) throw new IllegalStateException(RESOURCE + " line " + lineNo + ": registered_patients must be > 0");
        String icp = f.get(0), ccg = f.get(1), pcn = f.get(2);
        String icpCode = icpCodes.computeIfAbsent(icp, k -> String.format("ICP%02d", icpCodes.size() + 1));
        String ccgCode = ccgCodes.computeIfAbsent(ccg, k -> String.format("CCG%02d", ccgCodes.size() + 1));
        String pcnCode = pcnCodes.computeIfAbsent(pcn, k -> String.format("U%05d", pcnCodes.size() + 1));
        int idx = list.size();
        list.add(new Practice(idx, String.format("Z%05d", idx + 1), f.get(4), pcnCode, pcn, ccgCode, ccg,
            icpCode, icp, size));
      }
      return new Hierarchy(list);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  /**
   * Registered patients per practice for a total of {@code n}: Hamilton (largest-remainder) apportionment
   * of {@code n} by published list size, ties broken by practice order. With n equal to the published total
   * (1,092,110) it reproduces every published size exactly.
   */
  public int[] allocate(int n) {
    if (n < 0) throw new IllegalArgumentException("patients must be >= 0");
    long total = publishedTotal();
    int k = practices.size();
    int[] out = new int[k];
    long[] rem = new long[k];
    long assigned = 0;
    for (int i = 0; i < k; i++) {
      long num = (long) n * practices.get(i).publishedSize();
      out[i] = (int) (num / total);
      rem[i] = num % total;
      assigned += out[i];
    }
    long left = n - assigned;
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) order[i] = i;
    java.util.Arrays.sort(order, (x, y) -> rem[y] != rem[x] ? Long.compare(rem[y], rem[x]) : Integer.compare(x, y));
    for (int j = 0; j < left; j++) out[order[j]]++;
    return out;
  }

  /** Quotes a CSV field when needed. */
  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
