package dev.batchtrace.cli;

/**
 * Logging of the query commands: Log4j's simple logger (part of log4j-api) instead of log4j-core
 * and the XML of {@code log4j2.xml}. A query runs the Elasticsearch client alone, so the
 * configuration it needs is the one rule of that file: library messages from WARN up go to stderr.
 * Setting up log4j-core (its plugins, the XML parser, the appenders) took a quarter of a query's
 * start-up. The long-running commands ({@code run}, {@code demo}, {@code stack}, ...) keep {@code
 * log4j2.xml}.
 */
final class QueryLogging {

    static final String CONTEXT_FACTORY = "log4j2.loggerContextFactory";
    static final String SIMPLE_CONTEXT_FACTORY =
            "org.apache.logging.log4j.simple.SimpleLoggerContextFactory";

    private static final String SIMPLE = "org.apache.logging.log4j.simplelog.";

    private QueryLogging() {}

    /**
     * Selects the simple logger, unless the JVM was told which Log4j configuration or
     * implementation to use ({@code TRACE_JAVA_OPTS}, e.g. to debug a query with more logging).
     * Call before anything logs.
     */
    static void install() {
        for (String chosen :
                new String[] {CONTEXT_FACTORY, "log4j.provider", "log4j2.configurationFile"}) {
            if (System.getProperty(chosen) != null) {
                return;
            }
        }
        System.setProperty(CONTEXT_FACTORY, SIMPLE_CONTEXT_FACTORY);
        setDefault(SIMPLE + "level", "WARN");
        setDefault(SIMPLE + "logFile", "system.err");
        // level, the logger's short name, the message; no time: the simple logger makes a date
        // format per logger (locale data: a twentieth of a query's start-up), and a query's
        // messages are read as it runs
        setDefault(SIMPLE + "showdatetime", "false");
        setDefault(SIMPLE + "showShortLogname", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
