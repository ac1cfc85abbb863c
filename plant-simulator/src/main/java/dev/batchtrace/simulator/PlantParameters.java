package dev.batchtrace.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a simulated plant looks like. Every count is exact in the generated history, except that
 * machine events, QC results, duplicates and late events follow their shares (rounded).
 *
 * @param seed the same seed and parameters give the same history, event for event
 * @param start when the history begins (day 0, 00:00)
 * @param days days of production the history spans; work orders are spread evenly over them
 * @param suppliers suppliers the raw lots come from
 * @param rawLots ordinary purchased lots (goods receipts), consumed by level-1 work orders
 * @param levels production levels: a level-n work order consumes at least one lot of level n-1
 * @param workOrdersPerLevel work orders on each level
 * @param fanIn most lots a work order consumes (1 to fanIn, uniformly); the further ones may come
 *     from any lower level
 * @param fanOut most lots a work order produces (1 to fanOut, uniformly)
 * @param bulkLots bulk raw lots (resin, solvent): each consumed by {@code bulkConsumers} level-1
 *     work orders on top of their other inputs
 * @param bulkConsumers work orders consuming each bulk lot
 * @param siloLots silo lots: each filled by one work order that consumes {@code siloDeliveries}
 *     delivery lots (a goods receipt each) and produces the silo lot
 * @param siloDeliveries delivery lots tipped into each silo
 * @param siloConsumers level-1 work orders consuming each silo lot (on top of their other inputs)
 * @param shipments dispatch notes, shipping lots of the top level
 * @param maxLinesPerShipment most lines (lots) on one dispatch note (1 to this, uniformly)
 * @param machines machines the work orders run on (one work order at a time per machine)
 * @param machineEventShare share of PLC machine events in the whole stream (0 to 0.99); they fall
 *     into the work orders' runs on their machines
 * @param qcShare share of produced lots with a QC result
 * @param qcFailShare share of QC results that fail
 * @param reversalShare share of consumptions reversed (and scanned again half of the time)
 * @param disorderShare share of events that arrive up to {@code disorderWindow} late (gateway
 *     jitter: they overtake nothing older than that window)
 * @param disorderWindow the jitter bound
 * @param duplicateShare share of events sent twice (gateway retries), the copy within a minute
 * @param lateShare share of events that arrive {@code lateBy} after they happened (a work order's
 *     STARTED and COMPLETED excepted: the machine job splits runs exactly only within its
 *     work-order grace)
 * @param lateBy how late the late events arrive (machine events later than the machine job's
 *     allowed lateness, 1 h by default, are dead-lettered by design)
 */
public record PlantParameters(
        long seed,
        Instant start,
        int days,
        int suppliers,
        int rawLots,
        int levels,
        int workOrdersPerLevel,
        int fanIn,
        int fanOut,
        int bulkLots,
        int bulkConsumers,
        int siloLots,
        int siloDeliveries,
        int siloConsumers,
        int shipments,
        int maxLinesPerShipment,
        int machines,
        double machineEventShare,
        double qcShare,
        double qcFailShare,
        double reversalShare,
        double disorderShare,
        Duration disorderWindow,
        double duplicateShare,
        double lateShare,
        Duration lateBy) {

    /** The named profiles of {@code bin/trace bench --profile}. */
    public static final List<String> PROFILES = List.of("tiny", "small", "bulk", "silo", "mixed");

    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");

    public PlantParameters {
        positive("days", days);
        positive("suppliers", suppliers);
        positive("levels", levels);
        positive("workOrdersPerLevel", workOrdersPerLevel);
        positive("fanIn", fanIn);
        positive("fanOut", fanOut);
        atLeast("bulkLots", bulkLots, 0);
        atLeast("bulkConsumers", bulkConsumers, 0);
        atLeast("siloLots", siloLots, 0);
        atLeast("siloDeliveries", siloDeliveries, siloLots > 0 ? 1 : 0);
        atLeast("siloConsumers", siloConsumers, 0);
        atLeast("shipments", shipments, 0);
        positive("maxLinesPerShipment", maxLinesPerShipment);
        positive("machines", machines);
        // every day needs stock to work from: a raw lot and a work order per level at least
        atLeast("rawLots", rawLots, days);
        atLeast("workOrdersPerLevel", workOrdersPerLevel, days);
        if (bulkLots > 0 && bulkConsumers > workOrdersPerLevel) {
            throw new IllegalArgumentException(
                    "bulkConsumers ("
                            + bulkConsumers
                            + ") cannot exceed workOrdersPerLevel ("
                            + workOrdersPerLevel
                            + "): bulk lots feed level-1 work orders");
        }
        if (siloLots > 0 && siloConsumers > workOrdersPerLevel) {
            throw new IllegalArgumentException(
                    "siloConsumers ("
                            + siloConsumers
                            + ") cannot exceed workOrdersPerLevel ("
                            + workOrdersPerLevel
                            + "): silo lots feed level-1 work orders");
        }
        share("machineEventShare", machineEventShare, 0.99);
        share("qcShare", qcShare, 1);
        share("qcFailShare", qcFailShare, 1);
        share("reversalShare", reversalShare, 1);
        share("disorderShare", disorderShare, 1);
        share("duplicateShare", duplicateShare, 1);
        share("lateShare", lateShare, 1);
        if (disorderWindow.isNegative() || lateBy.isNegative()) {
            throw new IllegalArgumentException("disorderWindow and lateBy must not be negative");
        }
    }

    /** A named profile (see {@link #PROFILES}) with the given seed. */
    public static PlantParameters profile(String name, long seed) {
        PlantParameters base =
                new PlantParameters(
                        seed,
                        DEFAULT_START,
                        20,
                        20,
                        500,
                        3,
                        1_000,
                        3,
                        2,
                        0,
                        0,
                        0,
                        0,
                        0,
                        2_000,
                        3,
                        20,
                        0,
                        0.1,
                        0.02,
                        0.01,
                        0.05,
                        Duration.ofSeconds(30),
                        0.01,
                        0.002,
                        Duration.ofMinutes(30));
        return switch (name.toLowerCase(Locale.ROOT)) {
            // seconds end to end: the ITCase and a first look
            case "tiny" ->
                    base.withRawLots(20)
                            .withWorkOrdersPerLevel(40)
                            .withShipments(30)
                            .withDays(2)
                            .withMachines(4)
                            .withBulk(1, 25)
                            .withSilo(1, 30, 10)
                            .withMachineEventShare(0.5);
            case "small" -> base;
            // genealogy only, 5 bulk lots each consumed by 1,500 work orders (issue 9's "bulk")
            case "bulk" ->
                    base.withRawLots(2_000)
                            .withWorkOrdersPerLevel(12_000)
                            .withShipments(20_000)
                            .withDays(60)
                            .withMachines(40)
                            .withBulk(5, 1_500);
            // 20,000 deliveries tipped into one silo lot that 2,000 work orders consume
            case "silo" ->
                    base.withRawLots(20)
                            .withLevels(1)
                            .withWorkOrdersPerLevel(2_000)
                            .withFanIn(1)
                            .withFanOut(1)
                            .withShipments(2_000)
                            .withMaxLinesPerShipment(1)
                            .withSilo(1, 20_000, 2_000);
            // the small genealogy inside a plant stream that is 90 % PLC machine events
            case "mixed" -> base.withMachineEventShare(0.9);
            default ->
                    throw new IllegalArgumentException(
                            "unknown profile '"
                                    + name
                                    + "' (one of "
                                    + String.join(", ", PROFILES)
                                    + ")");
        };
    }

    public PlantParameters withSeed(long v) {
        return new PlantParameters(
                v,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withDays(int v) {
        return new PlantParameters(
                seed,
                start,
                v,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withRawLots(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                v,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withLevels(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                v,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withWorkOrdersPerLevel(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                v,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withFanIn(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                v,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withFanOut(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                v,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withBulk(int lots, int consumers) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                lots,
                consumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withSilo(int lots, int deliveries, int consumers) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                lots,
                deliveries,
                consumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withShipments(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                v,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withMaxLinesPerShipment(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                v,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withMachines(int v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                v,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withMachineEventShare(double v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                v,
                qcShare,
                qcFailShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    public PlantParameters withQc(double share, double failShare) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                share,
                failShare,
                reversalShare,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    /** Arrival: disorder, duplicates and late events. */
    public PlantParameters withArrival(
            double disorder, Duration window, double duplicates, double late, Duration by) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                reversalShare,
                disorder,
                window,
                duplicates,
                late,
                by);
    }

    public PlantParameters withReversalShare(double v) {
        return new PlantParameters(
                seed,
                start,
                days,
                suppliers,
                rawLots,
                levels,
                workOrdersPerLevel,
                fanIn,
                fanOut,
                bulkLots,
                bulkConsumers,
                siloLots,
                siloDeliveries,
                siloConsumers,
                shipments,
                maxLinesPerShipment,
                machines,
                machineEventShare,
                qcShare,
                qcFailShare,
                v,
                disorderShare,
                disorderWindow,
                duplicateShare,
                lateShare,
                lateBy);
    }

    private static void positive(String name, int value) {
        atLeast(name, value, 1);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void share(String name, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new IllegalArgumentException(
                    name + " must be between 0 and " + max + ": " + value);
        }
    }
}
