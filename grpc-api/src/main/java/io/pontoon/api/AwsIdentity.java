package io.pontoon.api;

import java.util.List;

/**
 * The region and account id a cluster shows in its ARNs ({@code arn:aws:sqs:REGION:ACCOUNT:name}) and queue URLs
 * ({@code .../ACCOUNT/name}): settings {@code aws.region} and {@code aws.account.id}, the same on every node.
 *
 * <p>Replicated state never holds them. The core writes every ARN in one canonical form, {@link #CANONICAL}
 * ({@code arn:aws:sqs:pontoon:000000000000:name}), and each front door turns ARNs into this identity's form on the
 * way out ({@link #toExternal}) and back on the way in ({@link #toInternal}), the way queue URLs are turned into
 * HTTP URLs. So apply never sees a node's settings, and changing the identity changes what clients see, never what
 * is stored. The canonical form is also accepted on the way in, as an alias.
 */
public record AwsIdentity(String region, String accountId) {
    public static final AwsIdentity CANONICAL = new AwsIdentity("pontoon", "000000000000");
    /**
     * What a cluster shows unless configured otherwise: the region and account id the AWS SDKs' users and LocalStack
     * most often assume, so that code that builds ARNs itself ({@code arn:aws:sqs:us-east-1:000000000000:orders})
     * works unchanged.
     */
    public static final AwsIdentity DEFAULT = new AwsIdentity("us-east-1", "000000000000");
    private static final List<String> SERVICES = List.of("sqs", "sns", "kinesis");
    private static final String CANONICAL_INFIX = ":pontoon:000000000000:";
    /** Kinesis names the account in some messages ("Stream s under account 000000000000 not found."). */
    private static final String CANONICAL_ACCOUNT_PHRASE = "account 000000000000";

    public AwsIdentity {
        if (region == null || !region.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException("aws.region: must be 1-32 characters of [a-z0-9-] starting with a letter (us-east-1), not '"
                    + region + "'");
        }
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("aws.account.id: must be 12 digits, not '" + accountId + "'");
        }
    }

    /**
     * What follows {@code arn:aws:SERVICE:REGION:ACCOUNT:} in {@code arn}, whatever region and account it names, or
     * null if it is not an ARN of that service. For routing and for clients; the node that serves a request checks
     * the region and account.
     */
    public static String resourceOf(String arn, String service) {
        String prefix = "arn:aws:" + service + ":";
        if (arn == null || !arn.startsWith(prefix)) {
            return null;
        }
        int regionEnd = arn.indexOf(':', prefix.length());
        int accountEnd = regionEnd < 0 ? -1 : arn.indexOf(':', regionEnd + 1);
        return accountEnd < 0 || accountEnd == arn.length() - 1 ? null : arn.substring(accountEnd + 1);
    }

    public boolean isCanonical() {
        return equals(CANONICAL);
    }

    /** {@code text} with every canonical ARN prefix (and account phrase) in this identity's form. */
    public String toExternal(String text) {
        if (isCanonical() || text == null || (!text.contains(CANONICAL_INFIX) && !text.contains(CANONICAL_ACCOUNT_PHRASE))) {
            return text;
        }
        String out = text.replace(CANONICAL_ACCOUNT_PHRASE, "account " + accountId);
        for (String service : SERVICES) {
            out = out.replace(prefix(service, CANONICAL_INFIX), prefix(service, infix()));
        }
        return out;
    }

    /** {@code text} with every ARN prefix of this identity in the canonical form the core reads. */
    public String toInternal(String text) {
        if (isCanonical() || text == null || !text.contains(infix())) {
            return text;
        }
        String out = text;
        for (String service : SERVICES) {
            out = out.replace(prefix(service, infix()), prefix(service, CANONICAL_INFIX));
        }
        return out;
    }

    private String infix() {
        return ":" + region + ":" + accountId + ":";
    }

    private static String prefix(String service, String infix) {
        return "arn:aws:" + service + infix;
    }
}
