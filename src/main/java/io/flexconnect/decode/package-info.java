/**
 * The offline {@code decode} command of the fat JAR: checks DBC files against a capture without a
 * broker or a database.
 *
 * <ul>
 *   <li>{@link io.flexconnect.decode.DecodeCommand} is the entry point and the only class doing IO
 *       (DBC files, input file or stdin, stdout/stderr, exit status).
 *   <li>{@link io.flexconnect.decode.DecodeOptions} parses the command line (pure, with the usage text).
 *   <li>{@code BusDbcs} chooses the DBC per bus; {@code FramePrinter} turns a frame into one JSON
 *       line and counts decoded and unknown frames; {@code LineReader} reads candump logs with a
 *       bound on line length.
 * </ul>
 *
 * Frames come from {@link io.flexconnect.codec.can.CanMessageDecoder} (binary messages) or {@link
 * io.flexconnect.codec.can.CanTextParser} (candump lines, {@code --frame}) and are decoded with
 * {@link io.flexconnect.dbc.DbcDecoder}. No Vert.x: the command runs on the calling thread.
 */
package io.flexconnect.decode;
