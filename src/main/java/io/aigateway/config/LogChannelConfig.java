package io.aigateway.config;

import java.util.List;
import java.util.Locale;

/**
 * One entry of {@code logging.channels[]}: a log file with its own level and rolling policy.
 *
 * @param name       {@code logging.channels[].name}: which log goes to the file: {@code app} (the gateway's own log
 *                   and that of the libraries it carries, e.g. Jetty's client), {@code request} (the logger
 *                   {@code aigateway.request}: one JSON line per request) or {@code audit} (the logger
 *                   {@code aigateway.audit}: admin changes). Each name at most once. A log without a channel keeps
 *                   going where it went before: {@code request} and {@code audit} lines then land in {@code app}
 *                   (or on the console when {@code app} has no channel either).
 * @param file       {@code logging.channels[].file}: the file written, e.g. {@code logs/request.log}; a relative
 *                   path is resolved against the directory of the config file. Rolled files sit beside it, named
 *                   {@code request-2026-11-22-1.log.gz}.
 * @param level      {@code logging.channels[].level}: the least severe level written: {@code trace}, {@code debug},
 *                   {@code info}, {@code warn}, {@code error}, {@code fatal} or {@code off}; default
 *                   {@value #DEFAULT_LEVEL}. Case does not matter.
 * @param maxSizeMb  {@code logging.channels[].max_size_mb}: the file rolls when it reaches this many MiB, and in
 *                   any case at midnight; default {@value #DEFAULT_MAX_SIZE_MB}, {@code 0} rolls daily only
 * @param maxBackups {@code logging.channels[].max_backups}: how many rolled files are kept, newest first; default
 *                   {@value #DEFAULT_MAX_BACKUPS}, at least 1
 * @param maxAgeDays {@code logging.channels[].max_age_days}: rolled files older than this many days are deleted at
 *                   the next roll; default {@value #DEFAULT_MAX_AGE_DAYS}, {@code 0} keeps them (up to
 *                   {@code max_backups})
 * @param compress   {@code logging.channels[].compress}: whether rolled files are gzipped ({@code .gz}); default
 *                   true
 */
public record LogChannelConfig(
        String name, String file, String level, int maxSizeMb, int maxBackups, int maxAgeDays, boolean compress) {

    /** The channels the gateway knows, in the order the documentation gives them. */
    public static final List<String> NAMES = List.of("app", "request", "audit");
    /** The levels a channel accepts, as log4j2 names them. */
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "fatal", "off");
    public static final String DEFAULT_LEVEL = "info";
    public static final int DEFAULT_MAX_SIZE_MB = 100;
    public static final int DEFAULT_MAX_BACKUPS = 10;
    public static final int DEFAULT_MAX_AGE_DAYS = 30;

    /** @throws ConfigException naming each field that breaks its rule */
    public LogChannelConfig {
        Problems problems = new Problems();
        if (Names.requireNonBlank(problems, "name", name) && !NAMES.contains(name)) {
            problems.add("name", "'" + name + "' is not a log channel (use app, request or audit)");
        }
        if (Names.requireNonBlank(problems, "file", file)
                && (file.indexOf('\0') >= 0 || file.indexOf('\n') >= 0 || file.indexOf('\r') >= 0)) {
            problems.add("file", "must not contain NUL, CR or LF");
        } else if (file != null && (file.endsWith("/") || file.endsWith("\\"))) {
            problems.add("file", "must name a file, not a directory");
        }
        if (level == null) {
            problems.add("level", "is required");
        } else {
            level = level.toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(level)) {
                problems.add("level", "'" + level + "' is not a level (use " + String.join(", ", LEVELS) + ")");
            }
        }
        if (maxSizeMb < 0) {
            problems.add("max_size_mb", "must be >= 0 (0 rolls daily only)");
        }
        if (maxBackups < 1) {
            problems.add("max_backups", "must be > 0");
        }
        if (maxAgeDays < 0) {
            problems.add("max_age_days", "must be >= 0 (0 keeps rolled files up to max_backups)");
        }
        problems.throwIfAny("LogChannelConfig");
    }

    /** A channel with every default: {@value #DEFAULT_LEVEL}, 100 MiB, 10 backups, 30 days, compressed. */
    public static LogChannelConfig of(String name, String file) {
        return new LogChannelConfig(name, file, DEFAULT_LEVEL, DEFAULT_MAX_SIZE_MB, DEFAULT_MAX_BACKUPS,
                DEFAULT_MAX_AGE_DAYS, true);
    }
}
