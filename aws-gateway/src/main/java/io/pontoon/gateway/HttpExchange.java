package io.pontoon.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP request as the protocols see it, already bounded in size by the server, and the answer they give.
 *
 * @param path    the path as sent (still percent-encoded)
 * @param query   the query string as sent, without the {@code ?}; empty when there is none
 * @param headers lower-case names; the values of a repeated header joined by commas in the order sent
 * @param baseUrl scheme, host and port the client addressed ({@code http://host:port}), for the URLs we hand back
 */
public record HttpExchange(String method, String path, String query, Map<String, String> headers, byte[] body, String baseUrl) {

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /**
     * An answer: status, content type, extra headers and a body, which is either whole ({@code body}) or produced
     * over time ({@code stream}, with {@code body} empty): then it is sent chunked over HTTP/1.1, as DATA frames over
     * HTTP/2.
     */
    public record Reply(int status, String contentType, Map<String, String> headers, byte[] body, StreamingBody stream) {
        public Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
            this(status, contentType, headers, body, null);
        }

        public static Reply streaming(int status, String contentType, Map<String, String> headers, StreamingBody stream) {
            return new Reply(status, contentType, headers, new byte[0], stream);
        }

        public static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", Map.of(), text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
