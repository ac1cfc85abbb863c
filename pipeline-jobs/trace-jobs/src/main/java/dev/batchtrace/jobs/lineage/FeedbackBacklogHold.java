package dev.batchtrace.jobs.lineage;

/**
 * When the input sources wait for the feedback: above {@code holdAbove} records of feedback not yet
 * read the input is held, and it goes on once the backlog is below {@code resumeBelow}. In a replay
 * the node stage otherwise reads new input and feedback side by side, so a closure reaches its
 * descendants one level per feedback round and each of their documents is rewritten per level.
 * Holding the input while the feedback waits lets a level complete before the next level's edges
 * arrive. A live plant's stream never builds such a backlog, so it is never held.
 */
public final class FeedbackBacklogHold {

    private final long holdAbove;
    private final long resumeBelow;
    private boolean holding;

    /**
     * @param holdAbove backlog (records) above which the input waits; 0 never holds
     * @param resumeBelow backlog below which held input goes on (at most {@code holdAbove})
     */
    public FeedbackBacklogHold(long holdAbove, long resumeBelow) {
        if (holdAbove < 0 || resumeBelow < 0 || resumeBelow > holdAbove) {
            throw new IllegalArgumentException(
                    "need 0 <= resumeBelow <= holdAbove, got hold above "
                            + holdAbove
                            + ", resume below "
                            + resumeBelow);
        }
        this.holdAbove = holdAbove;
        this.resumeBelow = resumeBelow;
    }

    /** Takes the latest backlog (records of feedback not yet read); returns whether to hold. */
    public boolean update(long backlog) {
        if (holdAbove == 0) {
            holding = false;
        } else if (holding) {
            holding = backlog >= resumeBelow;
        } else {
            holding = backlog > holdAbove;
        }
        return holding;
    }

    public boolean holding() {
        return holding;
    }
}
