package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractsTest {
  private static final String MINIMAL = """
      schema_version: 1
      files:
        - name: a
          file: a.csv
          required: true
          description: A
          key: [id]
          columns:
            - {name: id, type: string, required: true, description: Id}
        - name: b
          file: b.csv
          required: false
          description: B
          columns:
            - {name: a_id, type: string, required: true, references: a.id, description: Ref}
            - {name: n, type: int, required: false, min: 0, max: 5, description: N}
          row_rules:
            - {expr: 'n >= 0', reason: SOME_RULE, column: n}
      """;

  @Test
  void shippedContractsLoadWithEveryFile() {
    Contracts c = Contracts.load();
    assertEquals(1, c.schemaVersion());
    assertEquals(List.of("practices", "list_sizes", "imd_lsoa", "gp_patients", "gp_events", "ae_attendances",
        "inpatient_spells", "outpatient_appointments", "rtt_waiting_list", "diagnostic_waiting_list",
        "cancer_pathways", "iapt_referrals", "national_opt_out"),
        c.files().stream().map(ExtractContract::name).toList());
    ExtractContract p = c.byName("gp_patients").orElseThrow();
    assertEquals(List.of("nhs_number"), p.key());
    ColumnContract dob = p.column("date_of_birth").orElseThrow();
    assertTrue(dob.notAfterRunDate());
    assertEquals("1900-01-01", dob.notBefore().toString());
    assertEquals(4, p.rowRules().size());
    assertFalse(c.byName("national_opt_out").orElseThrow().required());
    // numeric allowed values arrive as text
    assertEquals(List.of("1", "2", "3", "4"),
        c.byName("ae_attendances").orElseThrow().column("department_type").orElseThrow().allowed());
    assertEquals(100.0, c.byName("imd_lsoa").orElseThrow().column("imd_score").orElseThrow().max());
  }

  @Test
  void minimalParses() {
    Contracts c = Contracts.parse(MINIMAL, "t.yaml");
    assertEquals("a", c.byName("b").orElseThrow().column("a_id").orElseThrow().referencedFile());
  }

  private static String error(String yaml) {
    return assertThrows(ContractException.class, () -> Contracts.parse(yaml, "t.yaml")).getMessage();
  }

  @Test
  void unknownKeysNameTheEntry() {
    String m = error(MINIMAL.replace("{name: n, type: int,", "{name: n, typo: x, type: int,"));
    assertTrue(m.contains("t.yaml") && m.contains("(b)") && m.contains("(n)") && m.contains("unknown key 'typo'"), m);
    m = error(MINIMAL.replace("  required: false\n", "  required: false\n    delimiter: ';'\n"));
    assertTrue(m.contains("files[1] (b)") && m.contains("unknown key 'delimiter'"), m);
    m = error(MINIMAL + "extra: 1\n");
    assertTrue(m.contains("unknown key 'extra'"), m);
  }

  @Test
  void invalidDefinitionsFailClearly() {
    assertTrue(error(MINIMAL.replace("type: int", "type: integer")).contains("type 'integer' is not one of"));
    assertTrue(error(MINIMAL.replace("references: a.id", "references: c.id")).contains("no contract named 'c'"));
    assertTrue(error(MINIMAL.replace("references: a.id", "references: a.nope")).contains("has no column 'nope'"));
    assertTrue(error(MINIMAL.replace("key: [id]", "key: [idx]")).contains("key column 'idx'"));
    assertTrue(error(MINIMAL.replace("min: 0, max: 5", "min: 6, max: 5")).contains("greater than max"));
    assertTrue(error(MINIMAL.replace("reason: SOME_RULE", "reason: some rule")).contains("UPPER_SNAKE"));
    assertTrue(error(MINIMAL.replace("column: n}", "column: m}")).contains("column 'm' is not a column of b"));
    assertTrue(error(MINIMAL.replace("required: true\n  ", "required: yes-please\n  ")).contains("required"));
    assertTrue(error(MINIMAL.replace("schema_version: 1", "schema_version: one")).contains("schema_version"));
    assertTrue(error("files: [").contains("not valid YAML"));
    assertTrue(error(MINIMAL.replace("  required: true\n    description: A", "  required: false\n    description: A"))
        .contains("referenced file is optional"));
  }

  @Test
  void docsPageIsTheRenderingOfTheContracts() throws Exception {
    Path repo = Path.of(System.getProperty("phm.repo.dir", "../"));
    Path page = repo.resolve(ContractDocs.DOC_PATH);
    assertTrue(Files.isRegularFile(page), "missing " + page + "; run org.phm.ingest.ContractDocs");
    String rendered = ContractDocs.render(Contracts.load());
    assertEquals(rendered, Files.readString(page, StandardCharsets.UTF_8),
        ContractDocs.DOC_PATH + " is out of date: regenerate it with org.phm.ingest.ContractDocs");
    // every contract and column appears on the page
    for (ExtractContract c : Contracts.load().files()) {
      assertTrue(rendered.contains("## " + c.name() + "\n"), c.name());
      for (ColumnContract col : c.columns()) {
        assertTrue(rendered.contains("| `" + col.name() + "` | " + col.type() + " |"), c.name() + "." + col.name());
      }
    }
  }
}
