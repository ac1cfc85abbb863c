package dev.batchtrace.jobs.lineage.inputwait;

/**
 * When the input sources wait for the feedback: above {@code waitAbove} records of feedback not yet
 * read the input is held, and it goes on once the backlog is below {@code resumeBelow}. In a replay
 * the node stage otherwise reads new input and feedback side by side, so a closure reaches its
 * descendants one level per feedback round and each of their documents is rewritten per level.
 * Holding the input back while the feedback waits lets a level complete before the next level's
 * edges arrive. A live plant's stream never builds such a backlog, so it is never held.
 */
public final class FeedbackBacklogRule {

    private final long waitAbove;
    private final long resumeBelow;
    private boolean waiting;

    /**
     * @param waitAbove backlog (records) above which the input waits; 0 never holds
     * @param resumeBelow backlog below which held input goes on (at most {@code waitAbove})
     */
    public FeedbackBacklogRule(long waitAbove, long resumeBelow) {
        if (waitAbove < 0 || resumeBelow < 0 || resumeBelow > waitAbove) {
            throw new IllegalArgumentException(
                    "need 0 <= resumeBelow <= waitAbove, got setting above "
                            + waitAbove
                            + ", resume below "
                            + resumeBelow);
        }
        this.waitAbove = waitAbove;
        this.resumeBelow = resumeBelow;
    }

    /** Takes the latest backlog (records of feedback not yet read); returns whether to setting. */
    public boolean update(long backlog) {
        if (waitAbove == 0) {
            waiting = false;
        } else if (waiting) {
            waiting = backlog >= resumeBelow;
        } else {
            waiting = backlog > waitAbove;
        }
        return waiting;
    }

    public boolean waiting() {
        return waiting;
    }
}
