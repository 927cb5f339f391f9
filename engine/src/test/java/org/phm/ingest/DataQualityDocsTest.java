package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/data-quality.md documents every reason code the ingest can assign and the exit code. */
class DataQualityDocsTest {
  @Test
  void everyReasonCodeIsDocumented() throws Exception {
    Path page = Path.of(System.getProperty("phm.repo.dir", "../")).resolve("docs/data-quality.md");
    String doc = Files.readString(page, StandardCharsets.UTF_8);
    Set<String> codes = new LinkedHashSet<>(ReasonCodes.all());
    for (ExtractContract c : Contracts.load().files()) {
      c.rowRules().forEach(r -> codes.add(r.reason()));
    }
    for (String code : codes) {
      assertTrue(doc.contains("| `" + code + "` |"), "docs/data-quality.md does not document " + code);
    }
    assertTrue(doc.contains("code **" + InputException.EXIT_INPUT + "**"));
    assertTrue(doc.contains("rows_in = rows_accepted + rows_quarantined"));
  }
}
