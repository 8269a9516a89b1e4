package io.flexconnect.can;

import java.util.Map;

/**
 * What a re-decoding changed.
 *
 * @param dbcVersions file name → SHA-256 (hex) of the DBC versions applied
 */
public record RedecodeResult(int messages, long frames, long unknownFrames, long rowsDeleted, long rowsWritten,
    Map<String, String> dbcVersions) {}
