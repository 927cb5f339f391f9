package org.phm.jobs;

import java.util.concurrent.Callable;
import org.phm.config.PhmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code phm nightly}: the scheduled job. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = "Run the nightly job: ingest, validate, link, risk-stratify, compute indicators, publish a pack.")
final class NightlyCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    PhmConfig cfg = options.resolve();
    RunLog log = new RunLog(System.out, cfg.logFormat(), "pending");
    NightlyJob.Result r = NightlyJob.run(cfg, log);
    if (!log.isJson()) {
      System.out.println("pack published: " + r.pack());
    }
    return 0;
  }
}
