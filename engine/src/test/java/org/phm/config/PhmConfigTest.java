package org.phm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhmConfigTest {

  @Test
  void fileThenEnvironmentThenFlagsWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("phm.yaml");
    Files.writeString(file, "input_dir: " + dir + "\npacks_dir: /from/file\nretention: 3\ndemo: true\n");
    PhmConfig c = PhmConfig.load(file).withEnvironment(Map.of("PHM_PACKS_DIR", "/from/env", "PHM_RETENTION", "9"));
    assertEquals("/from/env", c.packsDir());
    assertEquals(9, c.retention());
    assertEquals(7, c.suppressionThreshold(), "default kept");
    PhmConfig flags = c.overlay(new PhmConfig(null, "/from/flag", null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null));
    assertEquals("/from/flag", flags.packsDir());
    assertTrue(flags.problems().isEmpty(), flags.problems().toString());
  }

  @Test
  void unknownKeysAndBadValuesNameTheFileAndSetting(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "input_dir: x\nretenton: 3\n");
    ConfigException e = assertThrows(ConfigException.class, () -> PhmConfig.load(file));
    assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("retenton"), e.getMessage());
    Files.writeString(file, "retention: lots\n");
    ConfigException e2 = assertThrows(ConfigException.class, () -> PhmConfig.load(file));
    assertTrue(e2.getMessage().contains("retention"), e2.getMessage());
    ConfigException e3 = assertThrows(ConfigException.class,
        () -> PhmConfig.defaults().withEnvironment(Map.of("PHM_RETENTION", "x")));
    assertTrue(e3.getMessage().contains("PHM_RETENTION"), e3.getMessage());
  }

  @Test
  void refusesToRunWithoutAKeyOutsideDemoMode(@TempDir Path dir) {
    PhmConfig noKey = PhmConfig.defaults().overlay(new PhmConfig(dir.toString(), dir.toString(), null, null, null,
        null, null, "PHM_TEST_KEY_THAT_IS_NOT_SET", false, null, null, null, null, null, null, null, null));
    ConfigException e = assertThrows(ConfigException.class, noKey::validated);
    assertTrue(e.getMessage().contains("no pseudonymisation key"), e.getMessage());
    PhmConfig demo = noKey.overlay(new PhmConfig(null, null, null, null, null, null, null, null, true, null, null,
        null, null, null, null, null, null));
    assertTrue(demo.problems().isEmpty(), demo.problems().toString());
  }

  @Test
  void everyProblemIsListedAtOnce() {
    PhmConfig c = PhmConfig.defaults().overlay(new PhmConfig("/no/such/dir", "p", "2026-13-45", null, 0, 0, null,
        null, true, 500, 2.0, null, null, null, null, null, "xml"));
    var p = c.problems();
    assertEquals(7, p.size(), p.toString());
  }
}
