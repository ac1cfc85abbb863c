package dev.batchtrace.jobs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading the jobs' key/value settings: durations, whole numbers, and the rule that an unknown key
 * under a job's own prefixes is an error (a typo must never fall back to a default).
 */
public final class ConfigValues {
    private ConfigValues() {}

    /** Rejects keys under {@code ownPrefixes} that are not in {@code knownKeys}. */
    public static void rejectUnknown(
            Map<String, String> config, Collection<String> ownPrefixes, Set<String> knownKeys) {
        for (String key : config.keySet()) {
            if (ownPrefixes.stream().anyMatch(key::startsWith) && !knownKeys.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown setting '" + key + "'; known: " + new TreeSet<>(knownKeys));
            }
        }
    }

    /** Durations: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, plain millis or ISO-8601. */
    public static Duration parseDuration(String key, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
                return Duration.ofMillis(Long.parseLong(value)); // plain millis, "0" included
            }
            if (value.startsWith("pt")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(value.substring(0, value.length() - 2).strip()));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1).strip());
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofMillis(Long.parseLong(value));
            };
        } catch (NumberFormatException
                | DateTimeParseException
                | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    key + ": '" + text + "' is not a duration (e.g. 500ms, 5s, 2m, 1h, PT1S)", e);
        }
    }

    public static Duration duration(Map<String, String> config, String key, Duration fallback) {
        String text = config.get(key);
        return text == null || text.isBlank() ? fallback : parseDuration(key, text);
    }

    public static int integer(Map<String, String> config, String key, int fallback) {
        String text = config.get(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a whole number", e);
        }
    }

    public static void requirePositive(String key, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive, was " + duration);
        }
    }
}
