/**
 * The binary CAN message format: decoding device payloads and parsing can-utils text.
 *
 * <ul>
 *   <li>{@link io.flexconnect.codec.can.CanMessageDecoder} turns an MQTT payload ({@code ByteBuf})
 *       into a {@link io.flexconnect.codec.Decoded Decoded}{@code <}{@link
 *       io.flexconnect.codec.can.CanMessage CanMessage}{@code >}: whole message or a rejection with
 *       a reason and the byte offset. Its class Javadoc has the byte layout and every policy (DLC
 *       resolution, empty messages, truncation).
 *   <li>{@link io.flexconnect.codec.can.CanMessage} is a zero-copy view that owns one buffer
 *       reference: walk it with {@link io.flexconnect.codec.can.CanMessage#forEachReading} (no
 *       allocation per reading), then close it.
 *   <li>{@link io.flexconnect.codec.can.CanTextParser} parses {@code candump -L} lines and {@code
 *       --frame ID#HEX} arguments for the offline CLI.
 * </ul>
 *
 * Plain Java and Netty buffers only: no Vert.x types, so everything here is tested directly.
 */
package io.flexconnect.codec.can;
