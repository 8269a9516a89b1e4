package io.flexconnect.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flexconnect.dbc.CompiledMessage;
import io.flexconnect.dbc.CompiledSignal;
import io.flexconnect.dbc.SignalSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns frames into JSON lines: looks the frame up in the {@link BusDbcs}, decodes it and writes
 * one line, and counts what it did. No file or stream of its own: it writes to the stream it is
 * given, so it is tested with byte literals.
 *
 * <pre>
 * {"t":1622547800000,"bus":1,"id":291,"message":"EngineData","signals":{"EngineSpeed":1026,...},"labels":{"EngineState":"Running"}}
 * {"t":0,"bus":0,"id":217056510,"extended":true,"message":"EEC1","sa":254,"signals":{"EngineSpeed":621}}
 * {"t":0,"bus":0,"id":1,"unknown":true,"data":"0102"}                            (with --unknown)
 * </pre>
 *
 * <p>Numbers: integral values are printed without a fraction ({@code 1026}, not {@code 1026.0});
 * others rounded to 15 significant digits, the precision a double holds for every decimal, so that
 * {@code 4 * 0.4} prints as {@code 1.6} and not {@code 1.6000000000000001}. NaN and infinities
 * (float signals) are printed as {@code null}: JSON has no such numbers.
 */
final class FramePrinter implements SignalSink, Flushable {

  private static final JsonFactory JSON = new JsonFactory()
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .setRootValueSeparator(null); // each line ends with '\n' instead
  private static final MathContext SIGNIFICANT = new MathContext(15);
  private static final double TWO_POW_63 = 0x1p63;

  private final BusDbcs catalog;
  private final boolean printUnknown;
  private final JsonGenerator json;
  private final List<String> labelNames = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private long decoded;
  private long unknown;

  /**
   * @param catalog the DBC files per bus
   * @param printUnknown whether frames no DBC knows are printed ({@code --unknown}) or only counted
   * @param out where the lines go; flushed by {@link #flush()}, never closed
   */
  FramePrinter(BusDbcs catalog, boolean printUnknown, OutputStream out) {
    this.catalog = catalog;
    this.printUnknown = printUnknown;
    try {
      this.json = JSON.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes and prints one frame whose data is {@code buf[index, index + length)}. */
  void frame(long timestampMs, int bus, int canId, boolean extended, ByteBuf buf, int index, int length) {
    CompiledMessage m = catalog.find(bus, canId, extended);
    if (m == null) {
      unknown++;
      if (printUnknown) {
        writeUnknown(timestampMs, bus, canId, extended, ByteBufUtil.hexDump(buf, index, length));
      }
      return;
    }
    decoded++;
    try {
      writeHeader(timestampMs, bus, canId, extended);
      json.writeStringField("message", m.message().name());
      int sa = m.j1939SourceAddress(canId);
      if (sa >= 0) {
        json.writeNumberField("sa", sa);
      }
      json.writeObjectFieldStart("signals");
      labelNames.clear();
      labels.clear();
      m.decode(buf, index, length, this);
      json.writeEndObject();
      if (!labels.isEmpty()) {
        json.writeObjectFieldStart("labels");
        for (int i = 0; i < labels.size(); i++) {
          json.writeStringField(labelNames.get(i), labels.get(i));
        }
        json.writeEndObject();
      }
      endLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same for a frame held in an array. */
  void frame(long timestampMs, int bus, int canId, boolean extended, byte[] data) {
    frame(timestampMs, bus, canId, extended, Unpooled.wrappedBuffer(data), 0, data.length);
  }

  @Override
  public void accept(CompiledSignal signal, double physical, long rawBits, String labelOrNull) {
    try {
      json.writeFieldName(signal.name());
      writePhysical(json, physical);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (labelOrNull != null) {
      labelNames.add(signal.name());
      labels.add(labelOrNull);
    }
  }

  /** Frames decoded with a DBC. */
  long decoded() {
    return decoded;
  }

  /** Frames no DBC of their bus knows (printed or not). */
  long unknown() {
    return unknown;
  }

  @Override
  public void flush() {
    try {
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeUnknown(long timestampMs, int bus, int canId, boolean extended, String hex) {
    try {
      writeHeader(timestampMs, bus, canId, extended);
      json.writeBooleanField("unknown", true);
      json.writeStringField("data", hex);
      endLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeHeader(long timestampMs, int bus, int canId, boolean extended) throws IOException {
    json.writeStartObject();
    json.writeNumberField("t", timestampMs);
    json.writeNumberField("bus", bus);
    json.writeNumberField("id", canId);
    if (extended) {
      json.writeBooleanField("extended", true);
    }
  }

  private void endLine() throws IOException {
    json.writeEndObject();
    json.writeRaw('\n');
  }

  /** Writes a physical value as described in the class comment. */
  static void writePhysical(JsonGenerator json, double value) throws IOException {
    if (!Double.isFinite(value)) {
      json.writeNull();
    } else if (value == Math.rint(value)) {
      if (Math.abs(value) < TWO_POW_63) {
        json.writeNumber((long) value);
      } else {
        json.writeNumber(new BigDecimal(value).toBigInteger()); // exact: the double is an integer
      }
    } else {
      json.writeNumber(new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros());
    }
  }
}
