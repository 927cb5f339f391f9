package org.phm.jobs;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.phm.config.ExitCode;
import org.phm.pack.PackReader;
import org.phm.pack.PackVerifier;
import org.phm.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phm verify}: checks a pack's files, checksums and row counts against its manifest. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a pack against its manifest (checksums; with --rows also row counts).")
final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", defaultValue = "packs/latest", description = "Pack directory or packs root")
  Path pack;

  @Option(names = "--rows", description = "Also count rows of every table (starts Spark)")
  boolean rows;

  @Override
  public Integer call() {
    Path dir = PackReader.open(pack).dir();
    var result = PackVerifier.verify(dir, rows ? SparkSessions.getOrCreate("phm-verify", null) : null);
    if (result.ok()) {
      System.out.println("pack " + dir + " verified OK");
      return ExitCode.SUCCESS.code();
    }
    System.err.println("pack " + dir + " FAILED verification:");
    result.problems().forEach(p -> System.err.println("  - " + p));
    return ExitCode.PACK_VERIFICATION_FAILED.code();
  }
}
