package org.phm.spark;

import org.apache.spark.sql.SparkSession;

/** The one local Spark session shared by every test in a JVM (tests must not stop it). */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSessions.getOrCreate("phm-tests", "local[2]");
      session.conf().set("spark.sql.shuffle.partitions", "4");
    }
    return session;
  }
}
