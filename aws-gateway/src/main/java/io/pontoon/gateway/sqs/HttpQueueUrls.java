package io.pontoon.gateway.sqs;

import io.pontoon.api.QueueUrls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Queue URLs as SQS clients know them, {@code {scheme}://{host}:{port}/{account-id}/{queue-name}}, and their
 * Pontoon form {@code pontoon://queue/{queue-name}}. The host is whatever the client addressed (or the configured
 * advertised URL), so any node's URL works on any node: the name is all that identifies a queue.
 */
public final class HttpQueueUrls {
    private static final Pattern HTTP_URL = Pattern.compile("https?://[^/?#]+/(\\d{12})/([^/?#]+)/?");
    private static final Pattern PATH = Pattern.compile("/(\\d{12})/([^/?#]+)/?");

    private HttpQueueUrls() {
    }

    /**
     * The client-facing URL of a queue, given the Pontoon URL the service returned and the base of the account's URLs
     * ({@code http://host:port/ACCOUNT}, the account being the cluster's aws.account.id).
     */
    public static String toHttp(String pontoonUrl, String accountBase) {
        return pontoonUrl.startsWith(QueueUrls.PREFIX)
                ? accountBase + "/" + pontoonUrl.substring(QueueUrls.PREFIX.length())
                : pontoonUrl;
    }

    /**
     * The Pontoon URL of a client's queue URL. One that is not in the SQS shape is passed on unchanged, for the
     * service to refuse with InvalidAddress as it refuses any other.
     */
    public static String toPontoon(String httpUrl) {
        Matcher m = HTTP_URL.matcher(httpUrl);
        return m.matches() ? QueueUrls.PREFIX + m.group(2) : httpUrl;
    }

    /** The Pontoon URL of the queue a request was posted to ({@code /ACCOUNT/name}), or null for another path. */
    public static String ofPath(String path) {
        Matcher m = PATH.matcher(path);
        return m.matches() ? QueueUrls.PREFIX + m.group(2) : null;
    }
}
