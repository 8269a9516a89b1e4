package io.flexconnect.bench.e2e;

/**
 * One measured run of one pipeline. CPU figures are µs per row; {@code NaN} where a figure does
 * not apply (the COPY ceiling has no platform). Steady-state figures cover the window between
 * {@link IngestBenchmark#STEADY_FROM} and {@link IngestBenchmark#STEADY_TO} of the rows committed.
 *
 * @param pipeline    {@code copy}, {@code json} or {@code can}
 * @param heap        the platform's {@code -Xmx} ({@code default}: the JVM's own choice), empty for COPY
 * @param run         1-based run number; the COPY run it is compared with has the same number
 * @param copyRowsPerS rows/s of the COPY ceiling it is compared with
 * @param decodedAgain messages the pipeline decoded more than once ({@code flexconnect_messages_total} minus messages published)
 * @param gc          the platform's garbage collector, from {@code jcmd VM.flags}
 * @param verified    stored rows have the COPY table's count and checksum over (device, name, time, value)
 */
record Measurement(String pipeline, String heap, int run, long rows, double seconds, double copyRowsPerS,
    double platformMicrosPerRow, double postgresMicrosPerRow, long peakRssMb, long decodedAgain,
    double steadyRowsPerS, double steadyPlatformMicrosPerRow, double steadyPostgresMicrosPerRow, String gc,
    boolean verified, String note) {

  double rowsPerS() {
    return rows / seconds;
  }

  double ratio() {
    return rowsPerS() / copyRowsPerS;
  }

  /** Row label of the result table. */
  String label() {
    return switch (pipeline) {
      case "copy" -> "psql \\copy (ceiling)";
      case "json" -> "Flexconnect, JSON" + heapNote();
      case "can" -> "Flexconnect, binary CAN" + heapNote();
      default -> pipeline;
    };
  }

  private String heapNote() {
    return heap.equals("default") ? "" : ", -Xmx" + heap;
  }
}
