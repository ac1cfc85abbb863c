package dev.batchtrace.cli.bench;

import dev.batchtrace.simulator.PlantHistory;
import dev.batchtrace.simulator.PlantParameters;
import dev.batchtrace.simulator.PlantSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * An endless plant stream for the soak: the profile's history again and again, each round the next
 * stretch of days of the same plant. Round {@code k} is generated with seed {@code seed + k}, its
 * times moved {@code k x days} later and the identifiers of what it makes (lots, work orders,
 * receipts, dispatch notes, QC checks, event ids) suffixed {@code -R<k>}, so no lot or event of one
 * round is mistaken for another's; suppliers, customers, materials and machines stay the same
 * plant.
 *
 * <p>One round is held at a time (the next is generated when the last event of the current one was
 * taken), so the stream's own heap does not grow with the soak.
 */
public final class PlantRounds implements Iterator<SpecificRecordBase> {

    /** Identifiers the simulator mints per history (see {@code PlantSimulator}). */
    static final Pattern MINTED =
            Pattern.compile("^(RM|BULK|SILO|DL|WO|L\\d+|DN|GR|SL|QC|E|ME)-.*");

    private final PlantParameters parameters;
    private List<SpecificRecordBase> round = List.of();
    private int next;
    private int roundNumber = -1;

    public PlantRounds(PlantParameters parameters) {
        this.parameters = parameters;
    }

    /** The round the last event taken belongs to (0 first). */
    public int round() {
        return roundNumber;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public SpecificRecordBase next() {
        if (next >= round.size()) {
            round = List.of(); // let the old round go before the new one is built
            roundNumber++;
            round = events(parameters, roundNumber);
            next = 0;
            if (round.isEmpty()) {
                throw new NoSuchElementException("the profile generates no events");
            }
        }
        return round.get(next++);
    }

    /** The events of round {@code k} in arrival order. */
    public static List<SpecificRecordBase> events(PlantParameters parameters, int k) {
        PlantHistory history = PlantSimulator.generate(parameters.withSeed(parameters.seed() + k));
        if (k == 0) {
            return history.events();
        }
        Duration shift = Duration.ofDays((long) k * parameters.days());
        String suffix = "-R" + k;
        List<SpecificRecordBase> events = new ArrayList<>(history.events().size());
        for (SpecificRecordBase event : history.events()) {
            rewrite(event, shift, suffix);
            events.add(event);
        }
        return events;
    }

    /**
     * Moves every time of {@code record} by {@code shift} and suffixes its minted ids, in place.
     */
    static void rewrite(SpecificRecordBase record, Duration shift, String suffix) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            Object changed = rewritten(value, shift, suffix);
            if (changed != value) {
                record.put(field.pos(), changed);
            }
        }
    }

    private static Object rewritten(Object value, Duration shift, String suffix) {
        if (value instanceof CharSequence text) {
            String s = text.toString();
            return MINTED.matcher(s).matches() ? s + suffix : value;
        }
        if (value instanceof Instant at) {
            return at.plus(shift);
        }
        if (value instanceof SpecificRecordBase nested) {
            rewrite(nested, shift, suffix);
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(rewritten(element, shift, suffix));
            }
            return copy;
        }
        return value;
    }
}
