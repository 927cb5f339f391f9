package org.phm.jobs;

import java.nio.file.Path;
import org.phm.config.ExitCode;
import org.phm.pack.PackException;
import org.phm.pack.PackReader;
import picocli.CommandLine.Option;

/** The {@code --pack} flag of the analyst commands (tables, describe, query, export) and opening that pack. */
final class PackOptions {
  @Option(names = "--pack", defaultValue = "packs/latest",
      description = "Pack directory or packs root (default ${DEFAULT-VALUE})")
  Path pack;

  /** Opens the pack, turning "no pack here" into an input error (exit 3). */
  PackReader open() {
    try {
      return PackReader.open(pack);
    } catch (PackException e) {
      throw new Phm.PhmExit(ExitCode.INVALID_INPUT, e.getMessage(), e);
    }
  }
}
