package org.phm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.ingest.Ingest;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;
import org.phm.spark.SharedSpark;
import org.phm.spark.SparkSessions;
import scala.Tuple3;

/**
 * Every Spark stage ingest runs over the default contracts compiles to methods within the JIT's size limit. A larger
 * generated method makes Spark drop whole-stage code generation for the whole stage (each operator then copies every
 * row): before the seventh session's changes ingest took ~1.6× its CPU for that (docs/performance.md). A new check, or
 * contract column, that pushes a stage over the limit fails here rather than silently slowing the nightly.
 */
class IngestCodegenTest {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);

  @Test
  void everyIngestStageCompilesWithinTheJitMethodLimit(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("input");
    Generator.generate(new GeneratorOptions(300, 5, input, RUN_DATE, 0.01));
    SparkSession spark = SharedSpark.get();
    List<SparkPlan> plans = Collections.synchronizedList(new ArrayList<>());
    QueryExecutionListener listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        plans.add(qe.executedPlan());
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    };
    spark.listenerManager().register(listener);
    try {
      Pseudonymiser pseudonymiser = new Pseudonymiser(
          PseudonymisationKey.ofBytes("codegen-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
      Ingest.run(spark, input, tmp.resolve("staging"), RUN_DATE, pseudonymiser);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(listener);
    }

    assertTrue(plans.size() >= 13, "one validation write per extract, got " + plans.size() + " plans");
    int stages = 0;
    List<String> tooLong = new ArrayList<>();
    for (SparkPlan plan : plans) {
      scala.collection.Iterator<Tuple3<String, String, ByteCodeStats>> it =
          org.apache.spark.sql.execution.debug.package$.MODULE$.codegenStringSeq(plan).iterator();
      while (it.hasNext()) {
        Tuple3<String, String, ByteCodeStats> stage = it.next();
        stages++;
        int size = stage._3().maxMethodCodeSize();
        if (size > SparkSessions.JIT_METHOD_LIMIT) {
          String top = stage._1().lines().findFirst().orElse("");
          tooLong.add(size + " bytes: " + top.substring(0, Math.min(top.length(), 200)));
        }
      }
    }
    assertTrue(stages >= 13, "whole-stage-generated stages found: " + stages);
    assertEquals(List.of(), tooLong);
  }
}
