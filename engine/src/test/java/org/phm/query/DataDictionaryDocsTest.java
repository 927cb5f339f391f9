package org.phm.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.phm.pack.DataDictionary;

/** docs/data-dictionary.md must be exactly what {@code phm docs} renders from the dictionary YAML. */
class DataDictionaryDocsTest {
  @Test
  void committedDocMatchesTheDictionary() throws Exception {
    Path doc = Path.of(System.getProperty("phm.repo.dir", "..")).resolve("docs/data-dictionary.md");
    String expected = DataDictionary.load().toMarkdown();
    String actual = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "(missing " + doc + ")";
    assertEquals(expected, actual,
        "docs/data-dictionary.md is out of date with engine/src/main/resources/dictionary/*.yaml: run `./phm docs`");
  }
}
