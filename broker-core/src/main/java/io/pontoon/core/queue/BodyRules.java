package io.pontoon.core.queue;

/** The XML-safe character set SQS allows in bodies and string attribute values. */
final class BodyRules {
    private BodyRules() {
    }

    /** #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (unpaired surrogates are not characters). */
    static boolean allowedCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Fast path for the common case (ASCII and the BMP below the surrogates): no code point decoding.
            if ((c >= 0x20 && c < 0xD800) || c == 0x9 || c == 0xA || c == 0xD) {
                continue;
            }
            int cp = s.codePointAt(i);
            if (!allowed(cp)) {
                return false;
            }
            i += Character.charCount(cp) - 1;
        }
        return true;
    }

    private static boolean allowed(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
