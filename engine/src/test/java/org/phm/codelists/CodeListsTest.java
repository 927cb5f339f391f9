package org.phm.codelists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.config.ConfigException;

/** The code lists shipped on the classpath, checked against a plain re-reading of the files, and load validation. */
class CodeListsTest {

  /** Data rows of a shipped code list split naively (the shipped files use no quoting). */
  private static List<String[]> plainRows(String resource) throws IOException {
    try (InputStream in = CodeListsTest.class.getClassLoader().getResourceAsStream(resource)) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank()).toList();
      assertTrue(!lines.get(0).contains("\""), resource + " is not quote-free; this test's reader is too simple");
      List<String[]> rows = new ArrayList<>();
      lines.subList(1, lines.size()).forEach(l -> rows.add(l.split(",", -1)));
      return rows;
    }
  }

  @Test
  void classpathListsMatchThePlainFiles() throws IOException {
    CodeLists lists = CodeLists.load();
    List<String[]> cond = plainRows(CodeLists.CONDITIONS);
    List<String[]> efi = plainRows(CodeLists.DEFICITS);
    List<String[]> obs = plainRows(CodeLists.OBSERVATIONS);
    assertEquals(cond.size(), lists.conditions().size());
    assertEquals(efi.size(), lists.deficits().size());
    assertEquals(obs.size(), lists.observations().size());

    Set<String> union = new TreeSet<>();
    Set<String> condIds = new LinkedHashSet<>();
    Set<String> qofIds = new LinkedHashSet<>();
    for (String[] r : cond) {
      union.add(r[3]);
      condIds.add(r[0]);
      if (r[2].equals("true")) {
        qofIds.add(r[0]);
      }
    }
    Set<String> deficitIds = new TreeSet<>();
    for (String[] r : efi) {
      union.add(r[2]);
      deficitIds.add(r[0]);
    }
    obs.forEach(r -> union.add(r[2]));
    assertEquals(union, lists.allCodes());
    assertEquals(List.copyOf(condIds), lists.conditionIds());
    assertEquals(List.copyOf(qofIds), lists.qofConditionIds());
    assertEquals(deficitIds.size(), lists.deficitCount());
    assertEquals(36, lists.deficitCount(), "the published eFI has 36 deficits");
    assertTrue(lists.qofConditionIds().contains("HYP") && !lists.qofConditionIds().contains("PREG"));
  }

  @Test
  void perListLookups() {
    CodeLists lists = CodeLists.load();
    assertEquals(List.of("38341003", "59621000"), lists.conditionCodes("HYP"));
    assertEquals(List.of(), lists.conditionCodes("NOPE"));
    assertEquals(List.of("60621009"), lists.observationCodes("BMI"));
    assertEquals(List.of(), lists.observationCodes("HYP"), "condition ids are not observation ids");
    CodeLists.ObservationCode bmi = lists.observations().get(0);
    assertEquals("BMI", bmi.observationId());
    assertEquals(10.0, bmi.valueMin());
    assertEquals(90.0, bmi.valueMax());
    CodeLists.ObservationCode smoker = lists.observations().stream()
        .filter(o -> o.observationId().equals("SMOK_CURRENT")).findFirst().orElseThrow();
    assertNull(smoker.valueMin());
    assertNull(smoker.valueMax());
    assertEquals("cond_hyp", CodeLists.conditionColumn("HYP"));
    assertTrue(lists.allCodes().contains("PHM-MEDCOUNT"), "local codes are part of the union");
    assertTrue(!lists.allCodes().contains("code"), "header is not a code");
  }

  // ---------------------------------------------------------------- validation, on copies in a temp dir

  private static final String COND = "condition_id,condition_name,qof_register,code,code_description\n"
      + "HYP,Hypertension,true,38341003,\"Hypertensive disorder, systemic\"\n"
      + "PREG,Pregnancy,false,77386006,Pregnant\n";
  private static final String EFI = "deficit_id,deficit_name,code,code_description\n1,Activity limitation,300948004,x\n"
      + "2,Anaemia,271737000,Anaemia\n";
  private static final String OBS = "observation_id,observation_name,code,code_description,unit,value_min,value_max\n"
      + "BMI,Body mass index,60621009,Body mass index,kg/m2,10,90\nFLU_VAC,Flu vaccination,86198006,Flu,,,\n";

  private static Path write(Path dir, String cond, String efi, String obs) throws IOException {
    Files.createDirectories(dir.resolve("codelists"));
    Files.writeString(dir.resolve(CodeLists.CONDITIONS), cond);
    Files.writeString(dir.resolve(CodeLists.DEFICITS), efi);
    Files.writeString(dir.resolve(CodeLists.OBSERVATIONS), obs);
    return dir;
  }

  private static String error(Path dir) {
    return assertThrows(ConfigException.class, () -> CodeLists.read(dir)).getMessage();
  }

  @Test
  void readsQuotedCellsBomAndBlankLines(@TempDir Path dir) throws IOException {
    CodeLists lists = CodeLists.read(write(dir, "\uFEFF" + COND + "\n\n", EFI, OBS));
    assertEquals(List.of("HYP", "PREG"), lists.conditionIds());
    assertEquals(List.of("HYP"), lists.qofConditionIds());
    assertEquals(2, lists.deficitCount());
    assertEquals(Set.of("38341003", "77386006", "300948004", "271737000", "60621009", "86198006"), lists.allCodes());
  }

  @Test
  void errorsNameFileLineAndColumn(@TempDir Path dir) throws IOException {
    String m = error(write(dir, COND.replace(",true,", ",yes,"), EFI, OBS));
    assertTrue(m.contains("codelists/conditions.csv: line 2: qof_register") && m.contains("'yes'"), m);

    m = error(write(dir, COND, EFI.replace("2,Anaemia", "two,Anaemia"), OBS));
    assertTrue(m.contains("codelists/efi_deficits.csv: line 3: deficit_id") && m.contains("'two'"), m);

    m = error(write(dir, COND, EFI, OBS.replace("kg/m2,10,90", "kg/m2,ten,90")));
    assertTrue(m.contains("codelists/observations.csv: line 2: value_min") && m.contains("'ten'"), m);

    m = error(write(dir, COND, EFI, OBS.replace("kg/m2,10,90", "kg/m2,95,90")));
    assertTrue(m.contains("observations.csv: line 2: value_min") && m.contains("greater than value_max"), m);

    m = error(write(dir, COND.replace("PREG,Pregnancy,false,77386006", "PREG,Pregnancy,false,"), EFI, OBS));
    assertTrue(m.contains("conditions.csv: line 3: code: is empty"), m);

    m = error(write(dir, COND.replace("Pregnant\n", "Pregnant,extra\n"), EFI, OBS));
    assertTrue(m.contains("conditions.csv: line 3: has 6 cells, header has 5"), m);

    m = error(write(dir, COND.replace("qof_register", "qof"), EFI, OBS));
    assertTrue(m.contains("conditions.csv: line 1: missing column qof_register"), m);

    m = error(write(dir, COND, "", OBS));
    assertTrue(m.contains("efi_deficits.csv: empty"), m);

    m = error(write(dir, COND, EFI, OBS.lines().findFirst().orElseThrow() + "\n"));
    assertTrue(m.contains("observations.csv: has a header but no codes"), m);

    Files.delete(dir.resolve(CodeLists.OBSERVATIONS));
    m = error(dir);
    assertTrue(m.contains("observations.csv") && m.contains("not found"), m);
  }

  @Test
  void csvLineSplitsRfc4180() {
    assertEquals(List.of("a", "b,c", "say \"hi\"", ""), CsvLine.split(" a ,\"b,c\",\"say \"\"hi\"\"\","));
    assertEquals(List.of(""), CsvLine.split(""));
    assertEquals(List.of("a;b;c"), CsvLine.split("a;b;c"));
  }
}
