package org.phm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelJobsTest {
  @Test
  void resultsComeInItemOrderWhateverOrderTheyFinishIn() {
    List<Integer> items = List.of(5, 1, 4, 2, 3);
    List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
    List<String> out = ParallelJobs.run(items, i -> {
      sleep(i * 20L);
      finished.add(i);
      return "r" + i;
    }, 2, "test");
    assertEquals(List.of("r5", "r1", "r4", "r2", "r3"), out);
    assertFalse(finished.equals(items), "the pieces overlapped, so they finished out of order: " + finished);
  }

  @Test
  void noMoreThanTheConcurrencyRunAtOnceAndThatManyDo() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ParallelJobs.run(List.of(1, 2, 3, 4, 5, 6, 7, 8), i -> {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      sleep(30);
      now.decrementAndGet();
      return i;
    }, 3, "test");
    assertEquals(3, most.get());
  }

  @Test
  void anItemStartsAfterItsPrerequisitesAndGetsTheirResults() {
    // c needs a and b; d needs c; e needs nothing and may run beside them
    Map<String, List<String>> needs = Map.of("a", List.of(), "b", List.of(), "c", List.of("a", "b"),
        "d", List.of("c"), "e", List.of());
    Set<String> done = ConcurrentHashMap.newKeySet();
    List<String> out = ParallelJobs.run(List.of("a", "b", "c", "d", "e"), needs::get, (k, inputs) -> {
      assertEquals(Set.copyOf(needs.get(k)), inputs.keySet(), k);
      for (String p : needs.get(k)) {
        assertTrue(done.contains(p), k + " started before " + p + " finished");
      }
      sleep(k.equals("a") ? 60 : 10);
      done.add(k);
      return k + inputs.values().stream().sorted().toList();
    }, 2, "test");
    assertEquals(List.of("a[]", "b[]", "c[a[], b[]]", "d[c[a[], b[]]]", "e[]"), out);
  }

  @Test
  void theFirstFailureInItemOrderIsThrownAfterTheOthersFinish() throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelJobs.run(
        List.of("ok", "slow-fail", "fast-fail", "after"), k -> {
          switch (k) {
            case "slow-fail" -> {
              slowStarted.countDown();
              sleep(80);
              throw new IllegalStateException("slow");
            }
            case "fast-fail" -> {
              awaitQuietly(slowStarted);
              throw new IllegalArgumentException("fast");
            }
            default -> {
              sleep(20);
              finished.incrementAndGet();
              return k;
            }
          }
        }, 2, "test"));
    assertEquals("slow", e.getMessage());
    assertEquals(2, finished.get(), "the pieces that could run ran to the end");
  }

  @Test
  void aFailedPrerequisiteStopsItsDependentsButNotOthers() {
    AtomicInteger ranDependent = new AtomicInteger();
    AtomicInteger ranOther = new AtomicInteger();
    Map<String, List<String>> needs = Map.of("p", List.of(), "dep", List.of("p"), "other", List.of());
    RuntimeException e = assertThrows(RuntimeException.class, () -> ParallelJobs.run(List.of("p", "dep", "other"),
        needs::get, (k, inputs) -> {
          switch (k) {
            case "p" -> throw new UnsupportedOperationException("p failed");
            case "dep" -> ranDependent.incrementAndGet();
            default -> ranOther.incrementAndGet();
          }
          return k;
        }, 2, "test"));
    assertEquals("p failed", e.getMessage());
    assertTrue(e instanceof UnsupportedOperationException, "thrown as the piece threw it: " + e);
    assertEquals(0, ranDependent.get());
    assertEquals(1, ranOther.get());
  }

  @Test
  void aPrerequisiteMustComeBefore() {
    assertThrows(IllegalArgumentException.class, () -> ParallelJobs.run(List.of("a", "b"),
        k -> k.equals("a") ? List.of("b") : List.<String>of(), (k, in) -> k, 2, "test"));
  }

  private static void sleep(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
