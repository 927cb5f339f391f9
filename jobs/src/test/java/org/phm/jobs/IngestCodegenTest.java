package org.phm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.ingest.Ingest;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;
import org.phm.spark.GeneratedCode;
import org.phm.spark.SharedSpark;
import org.phm.spark.SparkSessions;

/**
 * Every Spark stage ingest runs over the default contracts compiles to methods within the JIT's size limit. A larger
 * generated method makes Spark drop whole-stage code generation for the whole stage (each operator then copies every
 * row): before the seventh session's changes ingest took ~1.6× its CPU for that (docs/performance.md). A new check, or
 * contract column, that pushes a stage over the limit fails here rather than silently slowing the nightly.
 */
class IngestCodegenTest {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);

  @Test
  void everyIngestStageCompilesWithinTheJitMethodLimit(@TempDir Path tmp) throws Throwable {
    Path input = tmp.resolve("input");
    Generator.generate(new GeneratorOptions(300, 5, input, RUN_DATE, 0.01));
    SparkSession spark = SharedSpark.get();
    Pseudonymiser pseudonymiser = new Pseudonymiser(
        PseudonymisationKey.ofBytes("codegen-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
    List<GeneratedCode.Stage> stages = GeneratedCode.stagesOf(spark,
        () -> Ingest.run(spark, input, tmp.resolve("staging"), RUN_DATE, pseudonymiser));

    assertTrue(stages.size() >= 13, "whole-stage-generated stages found: " + stages.size());
    assertEquals(List.of(), stages.stream().filter(s -> s.maxMethodBytes() > SparkSessions.JIT_METHOD_LIMIT)
        .map(s -> s.maxMethodBytes() + " bytes: " + s.top()).toList());
  }
}
