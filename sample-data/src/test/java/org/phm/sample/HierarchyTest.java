package org.phm.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Allocation of patients to practices against the published reference file (read independently from phm.shared.dir). */
class HierarchyTest {
  private static final int PUBLISHED_TOTAL = 1_092_110;

  private static List<List<String>> reference() throws IOException {
    Path p = Path.of(System.getProperty("phm.shared.dir", "/work/shared"), "reference", "seed-facts",
        "practice_list_sizes_2019.csv");
    return Files.readAllLines(p).stream().skip(1).filter(l -> !l.isBlank()).map(org.phm.codelists.CsvLine::cells).toList();
  }

  @Test
  void structureMatchesPublishedConfiguration() throws IOException {
    Hierarchy h = Hierarchy.load();
    List<List<String>> ref = reference();
    assertEquals(135, h.practices().size());
    assertEquals(ref.size(), h.practices().size());
    assertEquals(22, h.practices().stream().map(Hierarchy.Practice::pcnCode).distinct().count());
    assertEquals(6, h.practices().stream().map(Hierarchy.Practice::ccgCode).distinct().count());
    assertEquals(3, h.practices().stream().map(Hierarchy.Practice::icpCode).distinct().count());
    for (Hierarchy.Practice p : h.practices()) {
      assertTrue(p.code().matches("^Z[0-9]{5}$"), p.code());
      assertTrue(p.pcnCode().matches("^U[0-9]{5}$"), p.pcnCode());
      assertTrue(p.icpCode().matches("^ICP0[1-3]$"), p.icpCode());
    }
    assertEquals(PUBLISHED_TOTAL, h.publishedTotal());
  }

  @Test
  void publishedTotalReproducesEveryPracticeAndPcnAndIcpExactly() throws IOException {
    Hierarchy h = Hierarchy.load();
    int[] alloc = h.allocate(PUBLISHED_TOTAL);
    List<List<String>> ref = reference();
    Map<String, Long> pcnRef = new TreeMap<>(), pcnGot = new TreeMap<>(), icpRef = new TreeMap<>(), icpGot = new TreeMap<>();
    for (int i = 0; i < ref.size(); i++) {
      int published = Integer.parseInt(ref.get(i).get(5).trim());
      assertEquals(published, alloc[i], "practice " + ref.get(i).get(4));
      pcnRef.merge(ref.get(i).get(2), (long) published, Long::sum);
      icpRef.merge(ref.get(i).get(0), (long) published, Long::sum);
      Hierarchy.Practice p = h.practices().get(i);
      pcnGot.merge(p.pcnName(), (long) alloc[i], Long::sum);
      icpGot.merge(p.icpName(), (long) alloc[i], Long::sum);
    }
    assertEquals(pcnRef, pcnGot);
    assertEquals(icpRef, icpGot);
    assertEquals(22, pcnGot.size());
    assertEquals(3, icpGot.size());
  }

  @Test
  void allocationSumsToRequestAndIsProportional() {
    Hierarchy h = Hierarchy.load();
    for (int n : new int[] {0, 1, 134, 3_000, 100_003, 2_500_000}) {
      int[] a = h.allocate(n);
      long sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += a[i];
        double exact = (double) n * h.practices().get(i).publishedSize() / h.publishedTotal();
        assertTrue(Math.abs(a[i] - exact) < 1.0, "largest remainder stays within 1 of the exact quota");
      }
      assertEquals(n, sum);
    }
  }

  @Test
  void nhsNumberCheckDigit() {
    // published example: 943 476 5919 is valid; 401 023 2137 is valid
    assertTrue(NhsNumbers.isValid("9434765919"));
    assertTrue(NhsNumbers.isValid("4010232137"));
    assertTrue(!NhsNumbers.isValid("9434765918"));
    assertTrue(!NhsNumbers.isValid("943476591"));
    // hand-worked: body 000000006 -> weighted sum 12, 12 mod 11 = 1, 11 - 1 = 10 -> no valid check digit
    assertEquals(-1, NhsNumbers.checkDigit(6L));
    // body 943476591 -> 90+36+24+28+42+30+20+27+2 = 299, 299 mod 11 = 2, check digit 9
    assertEquals(9, NhsNumbers.checkDigit(943_476_591L));
    for (int s = 0; s < 9; s++) assertTrue(!NhsNumbers.isValid(NhsNumbers.corrupt("9434765919", s)));
  }
}
