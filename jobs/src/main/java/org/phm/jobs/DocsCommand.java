package org.phm.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.phm.pack.DataDictionary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phm docs}: regenerates the documentation pages that are rendered from definitions. */
@Command(name = "docs", mixinStandardHelpOptions = true,
    description = "Regenerate docs/data-dictionary.md and docs/data-contracts.md from their YAML sources.")
final class DocsCommand implements Callable<Integer> {
  @Option(names = "--dir", defaultValue = "docs", description = "Docs directory (default ${DEFAULT-VALUE})")
  Path dir;

  @Override
  public Integer call() throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve("data-dictionary.md"), DataDictionary.load().toMarkdown());
    write(dir.resolve("data-contracts.md"), GeneratedDocs.dataContracts());
    return 0;
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    System.out.println("wrote " + file);
  }
}
