package io.pontoon.core.partition;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS resource tags, the same for every model: at most 50 per resource; keys 1-128 and values 0-256 characters of the
 * AWS tag character set; keys case-sensitive; no {@code aws:} key prefix in any case. Each model answers with its own
 * service's codes and names its own kind of resource, so a stream's tag error never talks about queues.
 *
 * @param resource what carries the tags, as the messages name it ("queue", "stream")
 * @param invalid  the code of a malformed key, value or key list
 * @param tooMany  the code of more than 50 tags
 */
public record TagRules(String resource, ErrorCode invalid, ErrorCode tooMany) {
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    /** Tags to add or set: at most 50, each key and value valid. */
    public void tags(Map<String, String> tags) {
        if (tags.size() > Limits.MAX_TAGS) {
            throw new BrokerException(tooMany, "Too many tags: " + tags.size() + ". A " + resource + " can have at most " + Limits.MAX_TAGS + " tags.");
        }
        tags.forEach((k, v) -> {
            key(k);
            if (v == null || v.codePointCount(0, v.length()) > Limits.MAX_TAG_VALUE_LENGTH || !TAG_TEXT.matcher(v).matches()) {
                throw new BrokerException(invalid, "Tag value for key '" + k + "' must be 0 to " + Limits.MAX_TAG_VALUE_LENGTH
                        + " characters of letters, digits, spaces and _ . : / = + - @");
            }
        });
    }

    /** Keys to remove: 1 to 50, each a valid tag key. */
    public void keys(List<String> keys) {
        if (keys.isEmpty() || keys.size() > Limits.MAX_TAGS) {
            throw new BrokerException(invalid, "TagKeys must list 1 to " + Limits.MAX_TAGS + " keys, got " + keys.size() + ".");
        }
        keys.forEach(this::key);
    }

    private void key(String k) {
        if (k == null || k.isEmpty() || k.codePointCount(0, k.length()) > Limits.MAX_TAG_KEY_LENGTH || !TAG_TEXT.matcher(k).matches()) {
            throw new BrokerException(invalid, "Tag key '" + k + "' must be 1 to " + Limits.MAX_TAG_KEY_LENGTH
                    + " characters of letters, digits, spaces and _ . : / = + - @");
        }
        if (k.regionMatches(true, 0, Limits.RESERVED_TAG_PREFIX, 0, Limits.RESERVED_TAG_PREFIX.length())) {
            throw new BrokerException(invalid, "Tag key '" + k + "' uses the reserved prefix " + Limits.RESERVED_TAG_PREFIX + ".");
        }
    }
}
