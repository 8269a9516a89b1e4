package io.flexconnect.can;

import java.util.Map;

/**
 * What a re-decoding changed.
 *
 * @param fromMs where the range re-decoded began (the request's, or the retention horizon if later)
 * @param dbcVersions file name → SHA-256 (hex) of the DBC versions applied
 */
public record RedecodeResult(long fromMs, int messages, long frames, long unknownFrames, long rowsDeleted, long rowsWritten,
    Map<String, String> dbcVersions) {}
