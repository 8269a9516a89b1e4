package io.flexconnect.dbc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A message ready to decode frames: its signals compiled and arranged as a multiplexing tree
 * (unconditioned signals at the root, each multiplexer holding the signals it selects), so a frame
 * is decoded with no lookups and no allocation.
 *
 * <p>Frames shorter than the message's length decode only the signals that fit entirely in the
 * bytes given; a multiplexed signal whose multiplexer does not fit is not decoded either.
 */
public final class CompiledMessage {

  private final DbcMessage message;
  private final CompiledSignal[] roots;
  private final CompiledSignal[] all;
  /** True when every signal lies in the first 8 bytes: the frame is read as two 64-bit words. */
  private final boolean classic;

  CompiledMessage(DbcMessage message) {
    this.message = message;
    Map<String, CompiledSignal> byName = new HashMap<>();
    List<CompiledSignal> compiled = new ArrayList<>();
    boolean fitsWord = true;
    for (DbcSignal s : message.signals()) {
      CompiledSignal c = new CompiledSignal(s, message.name());
      byName.put(s.name(), c);
      compiled.add(c);
      fitsWord &= c.lastByte < 8;
    }
    this.classic = fitsWord;
    Map<String, List<CompiledSignal>> children = new HashMap<>();
    List<CompiledSignal> rootList = new ArrayList<>();
    for (CompiledSignal c : compiled) {
      DbcMuxCondition condition = c.signal().muxCondition();
      if (condition == null) {
        rootList.add(c);
      } else {
        children.computeIfAbsent(condition.multiplexer(), k -> new ArrayList<>()).add(c);
      }
    }
    children.forEach((mux, list) -> byName.get(mux).children = list.toArray(new CompiledSignal[0]));
    this.roots = rootList.toArray(new CompiledSignal[0]);
    this.all = compiled.toArray(new CompiledSignal[0]);
  }

  public DbcMessage message() {
    return message;
  }

  /** All compiled signals, in DBC order. */
  public List<CompiledSignal> signals() {
    return List.of(all);
  }

  /** The compiled signal with that name, or null. */
  public CompiledSignal signal(String name) {
    for (CompiledSignal s : all) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  public boolean isJ1939() {
    return message.j1939();
  }

  /** The J1939 source address ({@code canId & 0xFF}) for a J1939 message, else -1. */
  public int j1939SourceAddress(int canId) {
    return message.j1939() ? canId & 0xFF : -1;
  }

  /**
   * Decodes a frame read with absolute getters from {@code buf[index, index + length)}; the buffer's
   * indices are not moved and nothing is copied.
   *
   * @return the number of signals passed to the sink
   */
  public int decode(ByteBuf buf, int index, int length, SignalSink sink) {
    if (classic) {
      long le;
      if (length >= 8) {
        le = buf.getLongLE(index);
      } else {
        le = 0;
        for (int i = length - 1; i >= 0; i--) {
          le = (le << 8) | (buf.getByte(index + i) & 0xFFL);
        }
      }
      return decodeWords(roots, le, Long.reverseBytes(le), length, sink);
    }
    return decodeBytes(roots, buf, index, length, sink);
  }

  /** Convenience for a byte array (wraps it, no copy). */
  public int decode(byte[] data, SignalSink sink) {
    return decode(Unpooled.wrappedBuffer(data), 0, data.length, sink);
  }

  // decodeWord and decodeByte are the same walk over the multiplexing tree; they are kept apart on
  // purpose so that each path's extraction is a straight call with no per-signal test of the path.

  private static int decodeWords(CompiledSignal[] signals, long le, long be, int length, SignalSink sink) {
    int count = 0;
    for (CompiledSignal s : signals) {
      count += decodeWord(s, le, be, length, sink);
    }
    return count;
  }

  private static int decodeWord(CompiledSignal s, long le, long be, int length, SignalSink sink) {
    if (s.lastByte >= length) {
      return 0;
    }
    long raw = s.extract(le, be);
    sink.accept(s, s.physical(raw), raw, s.label(raw));
    int count = 1;
    for (CompiledSignal child : s.children) {
      if (child.selectedBy(raw)) {
        count += decodeWord(child, le, be, length, sink);
      }
    }
    return count;
  }

  private static int decodeBytes(CompiledSignal[] signals, ByteBuf buf, int index, int length,
      SignalSink sink) {
    int count = 0;
    for (CompiledSignal s : signals) {
      count += decodeByte(s, buf, index, length, sink);
    }
    return count;
  }

  private static int decodeByte(CompiledSignal s, ByteBuf buf, int index, int length, SignalSink sink) {
    if (s.lastByte >= length) {
      return 0;
    }
    long raw = s.extract(buf, index, length);
    sink.accept(s, s.physical(raw), raw, s.label(raw));
    int count = 1;
    for (CompiledSignal child : s.children) {
      if (child.selectedBy(raw)) {
        count += decodeByte(child, buf, index, length, sink);
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return message.name();
  }
}
