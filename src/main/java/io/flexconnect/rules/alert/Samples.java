package io.flexconnect.rules.alert;

/**
 * A bounded ring of (time, value) points in time order: appending, inserting a slightly late point
 * and removing the oldest are O(1) amortised for the common in-order case, without allocating once
 * grown.
 */
final class Samples {

  private final int max;
  private long[] t = new long[0];
  private double[] v = new double[0];
  private int head;
  private int size;

  /** @param max capacity, a power of two */
  Samples(int max) {
    this.max = max;
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == max;
  }

  long time(int i) {
    return t[(head + i) & (t.length - 1)];
  }

  double value(int i) {
    return v[(head + i) & (t.length - 1)];
  }

  /** Inserts keeping time order (after equal times); the caller keeps it below {@link #isFull()}. */
  void insert(long time, double value) {
    if (size == t.length) {
      grow();
    }
    int mask = t.length - 1;
    int i = size;
    while (i > 0 && t[(head + i - 1) & mask] > time) {
      t[(head + i) & mask] = t[(head + i - 1) & mask];
      v[(head + i) & mask] = v[(head + i - 1) & mask];
      i--;
    }
    t[(head + i) & mask] = time;
    v[(head + i) & mask] = value;
    size++;
  }

  void removeFirst() {
    head = (head + 1) & (t.length - 1);
    size--;
  }

  void clear() {
    head = 0;
    size = 0;
  }

  private void grow() {
    int n = Math.min(max, Math.max(8, t.length * 2));
    long[] nt = new long[n];
    double[] nv = new double[n];
    for (int i = 0; i < size; i++) {
      nt[i] = time(i);
      nv[i] = value(i);
    }
    t = nt;
    v = nv;
    head = 0;
  }
}
