package io.aigateway.standalone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Tells whether a bind address can only be reached from this machine: what {@code --no-auth} demands. */
final class LoopbackAddress {
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackAddress() {
    }

    /**
     * True for {@code localhost} and for literal addresses in 127.0.0.0/8 or {@code ::1}. Other host names are
     * refused rather than resolved: what a name resolves to can change after the check.
     */
    static boolean isLoopback(String host) {
        String address = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (address.toLowerCase(Locale.ROOT).equals("localhost"))
            return true;
        if (!IPV4_LITERAL.matcher(address).matches() && !address.contains(":"))
            return false;
        try {
            // A literal is parsed, not looked up.
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException x) {
            return false;
        }
    }
}
