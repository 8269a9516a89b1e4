package io.flexconnect.bench.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak memory of processes from Linux's {@code /proc} (see proc(5)): {@code utime},
 * {@code stime}, {@code cutime}, {@code cstime} are fields 14–17 of {@code /proc/PID/stat}, in clock
 * ticks; {@code VmHWM} in {@code /proc/PID/status} is the peak resident set.
 */
final class ProcStats {
  private final double microsPerTick;

  ProcStats(int clockTicksPerSecond) {
    this.microsPerTick = 1e6 / clockTicksPerSecond;
  }

  double micros(long ticks) {
    return ticks * microsPerTick;
  }

  /** {@code utime + stime} of one process; 0 once it is gone. */
  static long processTicks(long pid) {
    long[] f = stat(pid);
    return f == null ? 0 : f[UTIME] + f[STIME];
  }

  /**
   * CPU of a whole PostgreSQL cluster: the postmaster's own time and that of its children that
   * ended ({@code cutime + cstime}, reaped backends and workers), plus the time of its live children.
   */
  static long clusterTicks(long postmasterPid) {
    long[] pm = stat(postmasterPid);
    if (pm == null) {
      return 0;
    }
    long ticks = pm[UTIME] + pm[STIME] + pm[CUTIME] + pm[CSTIME];
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
      for (Path p : procs) {
        long[] f = stat(Long.parseLong(p.getFileName().toString()));
        if (f != null && f[PPID] == postmasterPid) {
          ticks += f[UTIME] + f[STIME];
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return ticks;
  }

  static long parentPid(long pid) {
    long[] f = stat(pid);
    if (f == null) {
      throw new IllegalStateException("no process " + pid + " (is the database on another machine?)");
    }
    return f[PPID];
  }

  /** {@code VmHWM} in KiB; 0 once the process is gone. */
  static long peakRssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process just ended
    }
    return 0;
  }

  /** {@code getconf CLK_TCK}, 100 where getconf is missing (the value on every common Linux). */
  static int clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Integer.parseInt(out) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  // indexes into the fields after the command name: field 3 (state) is index 0
  private static final int PPID = 1;
  private static final int UTIME = 11;
  private static final int STIME = 12;
  private static final int CUTIME = 13;
  private static final int CSTIME = 14;

  private static long[] stat(long pid) {
    String s;
    try {
      s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return null;
    }
    // the command name may hold spaces and parentheses: the fields start after the last ')'
    String[] parts = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    long[] f = new long[CSTIME + 1];
    for (int i = PPID; i <= CSTIME; i++) {
      f[i] = Long.parseLong(parts[i]);
    }
    return f;
  }

  private static boolean isPid(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }
}
