package org.phm.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.phm.pack.DataDictionary;

/**
 * docs/data-dictionary.md must be exactly what {@code phm docs} renders from the dictionary YAML.
 * Run with {@code -Dphm.docs.update=true} to rewrite the file (then the comparison passes by construction).
 */
class DataDictionaryDocsTest {
  @Test
  void committedDocMatchesTheDictionary() throws Exception {
    Path doc = Path.of(System.getProperty("phm.repo.dir", "..")).resolve("docs/data-dictionary.md");
    String expected = DataDictionary.load().toMarkdown();
    if (Boolean.getBoolean("phm.docs.update")) {
      Files.writeString(doc, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "(missing " + doc + ")";
    assertEquals(expected, actual,
        "docs/data-dictionary.md is out of date with engine/src/main/resources/dictionary/*.yaml: run `./phm docs`");
  }
}
