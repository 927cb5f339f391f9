package org.phm.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs independent pieces of driver work that each start Spark jobs (one input file's ingest, one pack table's
 * write) a few at a time, so one piece's planning and driver-side steps, and the last tasks of its stages, overlap
 * another's tasks instead of leaving cores idle. Spark's default FIFO scheduler gives the earlier job's tasks the
 * free cores first, so overlapping does not reorder the work, it only fills the gaps.
 *
 * <p>Results come back in the order of the items whatever order they finish in, so outputs stay deterministic; when
 * pieces fail, the running ones are allowed to finish and the first failure in item order is thrown.
 */
public final class ParallelJobs {
  private ParallelJobs() {}

  /**
   * Runs {@code work} for every item, up to {@code concurrency} at a time, each once its prerequisites (earlier items)
   * have finished; {@code work} receives the item and its prerequisites' results.
   *
   * @param items the pieces, in order; an item's prerequisites must come before it
   * @param prerequisites the earlier items an item needs
   * @param work the piece of work
   * @param concurrency pieces at a time (1 = one after the other, on the calling thread's behalf)
   * @param threadName name of the worker threads, for thread dumps
   * @return the results, in item order
   */
  public static <K, V> List<V> run(List<K> items, Function<K, List<K>> prerequisites,
      BiFunction<K, Map<K, V>, V> work, int concurrency, String threadName) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      Map<K, CompletableFuture<V>> running = new LinkedHashMap<>();
      for (K item : items) {
        List<K> before = prerequisites.apply(item);
        for (K b : before) {
          if (!running.containsKey(b)) {
            throw new IllegalArgumentException(item + " needs " + b + ", which does not come before it");
          }
        }
        CompletableFuture<?>[] waitFor = before.stream().map(running::get).toArray(CompletableFuture[]::new);
        running.put(item, CompletableFuture.allOf(waitFor).thenApplyAsync(x -> {
          Map<K, V> inputs = new LinkedHashMap<>();
          before.forEach(b -> inputs.put(b, running.get(b).join()));
          return work.apply(item, inputs);
        }, pool));
      }
      try {
        CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new)).join();
      } catch (CompletionException e) {
        // every piece has finished or failed: the first failure in item order is reported below
      }
      List<V> out = new ArrayList<>(items.size());
      for (CompletableFuture<V> f : running.values()) {
        try {
          out.add(f.join());
        } catch (CompletionException e) {
          throw rethrown(e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@link #run} for items without prerequisites. */
  public static <K, V> List<V> run(List<K> items, Function<K, V> work, int concurrency, String threadName) {
    return run(items, k -> List.of(), (k, none) -> work.apply(k), concurrency, threadName);
  }

  /** The failure a piece threw, as thrown (unchecked), without the future's wrapping. */
  private static RuntimeException rethrown(CompletionException e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException re) {
      return re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(cause);
  }
}
