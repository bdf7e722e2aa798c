package io.pontoon.core.topic.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 network for the {@code cidr} operator. Addresses are parsed here rather than with
 * {@code InetAddress}, which resolves anything that is not a literal through DNS: matching must be a pure function
 * of the policy and the message. Only textual literals match (dotted quad without leading zeros; RFC 4291 IPv6,
 * with "::" and an embedded IPv4 tail, no zone); an IPv4 address never matches an IPv6 network or the reverse.
 */
final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** {@code address/length}; host bits are cleared, so 10.0.0.7/24 is 10.0.0.0/24. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("missing /prefix-length");
        }
        byte[] address = address(text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("\"" + text.substring(0, slash) + "\" is not an IPv4 or IPv6 address");
        }
        String len = text.substring(slash + 1);
        int max = address.length * 8;
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(len) > max) {
            throw new IllegalArgumentException("prefix length \"" + len + "\" is not between 0 and " + max);
        }
        int prefix = Integer.parseInt(len);
        for (int bit = prefix; bit < max; bit++) {
            address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new Cidr(address, prefix);
    }

    boolean contains(String addressText) {
        byte[] a = address(addressText);
        if (a == null || a.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return rest == 0 || (a[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < network.length; i += network.length == 4 ? 1 : 2) {
            if (network.length == 4) {
                b.append(i == 0 ? "" : ".").append(network[i] & 0xFF);
            } else {
                b.append(i == 0 ? "" : ":").append(Integer.toHexString((network[i] & 0xFF) << 8 | network[i + 1] & 0xFF));
            }
        }
        return b.append('/').append(prefixLength).toString();
    }

    /** 4 or 16 bytes, or null when {@code s} is not an address literal. */
    static byte[] address(String s) {
        return s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s);
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0' || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap >= 0 ? s.substring(0, gap) : s, gap < 0);
        List<Integer> tail = gap >= 0 ? groups(s.substring(gap + 2), true) : List.of();
        if (head == null || tail == null || (gap < 0 ? head.size() != 8 : head.size() + tail.size() > 7)) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            out[2 * i] = (byte) (head.get(i) >> 8);
            out[2 * i + 1] = (byte) (int) head.get(i);
        }
        int offset = 8 - tail.size();
        for (int i = 0; i < tail.size(); i++) {
            out[2 * (offset + i)] = (byte) (tail.get(i) >> 8);
            out[2 * (offset + i) + 1] = (byte) (int) tail.get(i);
        }
        return out;
    }

    /** The 16-bit groups of one side of "::"; only the last side may end in a dotted quad. */
    private static List<Integer> groups(String part, boolean last) {
        List<Integer> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String p = pieces[i];
            if (last && i == pieces.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = ipv4(p);
                if (v4 == null) {
                    return null;
                }
                out.add((v4[0] & 0xFF) << 8 | v4[1] & 0xFF);
                out.add((v4[2] & 0xFF) << 8 | v4[3] & 0xFF);
            } else if (!p.isEmpty() && p.length() <= 4 && p.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
                out.add(Integer.parseInt(p, 16));
            } else {
                return null;
            }
        }
        return out;
    }
}
