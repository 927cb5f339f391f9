package org.phm.jobs;

import java.util.concurrent.Callable;
import org.phm.config.ConfigException;
import org.phm.config.ExitCode;
import org.phm.config.PhmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code phm config check}: validates the effective configuration and prints it. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate the effective configuration (file + PHM_* environment + flags) and print it.")
  static final class Check implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Override
    public Integer call() {
      PhmConfig c = options.resolve();
      System.out.println("input_dir: " + c.inputDir());
      System.out.println("packs_dir: " + c.packsDir());
      System.out.println("run_date: " + (c.runDate() == null ? "(today)" : c.runDate()));
      System.out.println("spark_master: " + (c.sparkMaster() == null ? "(local[*] or spark-submit's)" : c.sparkMaster()));
      System.out.println("retention: " + c.retention());
      System.out.println("pseudonymisation key: " + (c.keyFile() != null ? "file " + c.keyFile()
          : Boolean.TRUE.equals(c.demo()) ? "demo key" : "environment variable " + c.keyEnv()));
      System.out.println("suppression_threshold: " + c.suppressionThreshold());
      System.out.println("max_quarantined_fraction: " + c.maxQuarantinedFraction());
      System.out.println("max_source_age_days: " + c.maxSourceAgeDays());
      var problems = new java.util.ArrayList<>(c.problems());
      if (problems.isEmpty()) {
        try {
          // the definition files, validated as the nightly job loads them
          var risk = NightlyJob.riskConfig(c);
          var catalogue = NightlyJob.catalogue(c, risk);
          System.out.println("risk_config: " + risk.source());
          System.out.println("indicator_catalogue: " + catalogue.source() + " (version " + catalogue.version() + ", "
              + catalogue.indicators().size() + " indicators)");
        } catch (ConfigException e) {
          problems.add(e.getMessage());
        }
      }
      if (problems.isEmpty()) {
        System.out.println("configuration OK");
        return ExitCode.SUCCESS.code();
      }
      System.err.println("invalid configuration:");
      problems.forEach(p -> System.err.println("  - " + p));
      return ExitCode.INVALID_CONFIGURATION.code();
    }
  }
}
