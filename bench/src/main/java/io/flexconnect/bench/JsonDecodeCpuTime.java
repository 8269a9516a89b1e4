package io.flexconnect.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The per-message cost of {@link JsonDecodeBenchmark}'s four paths in thread CPU time rather than
 * wall time, for machines too busy for JMH's wall-clock timings to mean anything: rounds of each
 * path alternate, so both see the same conditions; the median round is reported.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.flexconnect.bench.JsonDecodeCpuTime [rounds] [messages per round]</pre>
 */
public final class JsonDecodeCpuTime {
  private JsonDecodeCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    JsonDecodeBenchmark bench = new JsonDecodeBenchmark();
    bench.setup();
    String[] names = {"streamingToRows", "baselineTreeToRows", "streamingDecodeOnly", "baselineTreeDecodeOnly"};
    @SuppressWarnings("unchecked")
    Supplier<Object>[] paths = new Supplier[] {
        bench::streamingToRows, bench::baselineTreeToRows, bench::streamingDecodeOnly, bench::baselineTreeDecodeOnly};
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[][] nanos = new long[paths.length][rounds];
    Object sink = null;
    for (int round = -5; round < rounds; round++) { // 5 rounds of warm-up
      for (int p = 0; p < paths.length; p++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < perRound; i++) {
          sink = paths[p].get();
        }
        if (round >= 0) {
          nanos[p][round] = (threads.getCurrentThreadCpuTime() - start) / perRound;
        }
      }
    }
    System.out.printf("%-24s %14s%n", "path", "CPU ns/message");
    for (int p = 0; p < paths.length; p++) {
      long[] sorted = nanos[p].clone();
      java.util.Arrays.sort(sorted);
      System.out.printf("%-24s %,14d%n", names[p], sorted[rounds / 2]);
    }
    System.out.println(sink == null ? "" : "(median of " + rounds + " rounds of " + perRound + " messages)");
  }
}
