package io.aigateway.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts backends may live on ({@code security.allowed_backend_hosts}): exact names ({@code api.openai.com}),
 * suffix wildcards ({@code *.openai.azure.com}: any name below it, not the name itself) and CIDR blocks
 * ({@code 10.0.0.0/8}, {@code fd00::/8}) that match IP literals in the URL. Names are matched as written, never
 * resolved: what stops the config (or, later, the admin API) pointing the gateway at an internal address is that
 * such an address is neither listed nor a listed name. Immutable.
 */
public final class BackendHosts {
    /** No list: every host is allowed (the default, as before the list existed). */
    public static final BackendHosts ANY = new BackendHosts(null);

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    // A last label of digits (or hex) is no DNS name: resolvers read "2130706433" or "127.1" as an IPv4 address,
    // the classic way round an allow-list of names.
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(0x[0-9a-f]*|[0-9]+)");

    private final List<Entry> entries;

    private BackendHosts(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses the entries of the list; each problem is reported against {@code path[i]}.
     *
     * @return null when an entry is invalid (the problems say which)
     */
    static BackendHosts parse(Problems problems, String path, List<String> entries) {
        if (entries.isEmpty()) {
            problems.add(path, "must list at least one host (leave it out to allow any host)");
            return null;
        }
        List<Entry> parsed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String text = entries.get(i);
            Entry entry = text == null ? null : Entry.parse(text.trim().toLowerCase(Locale.ROOT));
            if (entry == null) {
                problems.add(Problems.index(path, i), "'" + text + "' is not a host name, a '*.' suffix wildcard "
                        + "or a CIDR block such as 10.0.0.0/8");
            } else {
                parsed.add(entry);
            }
        }
        return parsed.size() == entries.size() ? new BackendHosts(List.copyOf(parsed)) : null;
    }

    /** Parses a list given in code (tests, the admin API); throws on the first invalid entry. */
    public static BackendHosts of(List<String> entries) {
        Problems problems = new Problems();
        BackendHosts hosts = parse(problems, "allowed_backend_hosts", entries);
        problems.throwIfAny("BackendHosts");
        return hosts;
    }

    /** Whether there is a list at all. */
    public boolean restricted() {
        return entries != null;
    }

    /** Whether the URL's host is allowed; a URL without a host never is, unless there is no list. */
    public boolean allows(URI url) {
        return allows(url.getHost());
    }

    /** Whether the host (a name, an IPv4 literal, or an IPv6 literal with or without brackets) is allowed. */
    public boolean allows(String host) {
        if (entries == null) {
            return true;
        }
        if (host == null || host.isEmpty()) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        InetAddress address = literal(name);
        if (address == null && !isName(name)) {
            return false;
        }
        for (Entry entry : entries) {
            if (address != null ? entry.matches(address) : entry.matches(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return entries == null ? "any host" : entries.toString();
    }

    /** The address of an IP literal (without a DNS lookup), or null when the text is not one. */
    static InetAddress literal(String host) {
        String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!DOTTED_QUAD.matcher(text).matches() && text.indexOf(':') < 0) {
            return null;
        }
        if (text.indexOf(':') >= 0 && !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null; // Zone ids ("%eth0") and anything else InetAddress might look up.
        }
        try {
            // A literal of these shapes is parsed, never looked up.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isName(String name) {
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches();
    }

    /** One entry of the list. */
    private interface Entry {
        boolean matches(String name);

        boolean matches(InetAddress address);

        static Entry parse(String text) {
            int slash = text.indexOf('/');
            if (slash >= 0) {
                return Cidr.parse(text.substring(0, slash), text.substring(slash + 1));
            }
            InetAddress address = literal(text);
            if (address != null) {
                return new Cidr(address.getAddress(), address.getAddress().length * 8, text);
            }
            if (text.startsWith("*.")) {
                String suffix = text.substring(1);
                return isName(suffix.substring(1)) ? new Suffix(suffix) : null;
            }
            return isName(text) ? new Name(text) : null;
        }
    }

    private record Name(String name) implements Entry {
        @Override
        public boolean matches(String host) {
            return host.equals(name);
        }

        @Override
        public boolean matches(InetAddress address) {
            return false;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code *.example.com}: {@code suffix} is {@code .example.com}. */
    private record Suffix(String suffix) implements Entry {
        @Override
        public boolean matches(String host) {
            return host.length() > suffix.length() && host.endsWith(suffix);
        }

        @Override
        public boolean matches(InetAddress address) {
            return false;
        }

        @Override
        public String toString() {
            return "*" + suffix;
        }
    }

    private record Cidr(byte[] network, int bits, String text) implements Entry {
        static Cidr parse(String address, String prefix) {
            InetAddress base = literal(address);
            if (base == null || !prefix.matches("\\d{1,3}")) {
                return null;
            }
            int bits = Integer.parseInt(prefix);
            return bits > base.getAddress().length * 8 ? null : new Cidr(base.getAddress(), bits, address + "/" + prefix);
        }

        @Override
        public boolean matches(String host) {
            return false;
        }

        @Override
        public boolean matches(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
