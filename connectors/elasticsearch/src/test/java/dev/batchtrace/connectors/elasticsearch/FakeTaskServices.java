package dev.batchtrace.connectors.elasticsearch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.util.function.ThrowingRunnable;

/** Stand-ins for the task's mailbox and timer service when a writer runs outside Flink. */
final class FakeTaskServices {

    private FakeTaskServices() {}

    /** Records mails and never runs them: flush() alone must get every retry through. */
    static final class RecordingMailbox implements MailboxExecutor {
        final List<String> mails = new CopyOnWriteArrayList<>();

        @Override
        public void execute(
                MailOptions options,
                ThrowingRunnable<? extends Exception> command,
                String descriptionFormat,
                Object... descriptionArgs) {
            mails.add(descriptionFormat);
        }

        @Override
        public void yield() {}

        @Override
        public boolean tryYield() {
            return false;
        }

        @Override
        public boolean shouldInterrupt() {
            return false;
        }
    }

    /** Timers are only registered from mails, which {@link RecordingMailbox} never runs. */
    static ProcessingTimeService noTimers() {
        return new ProcessingTimeService() {
            @Override
            public long getCurrentProcessingTime() {
                return System.currentTimeMillis();
            }

            @Override
            public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
                throw new UnsupportedOperationException("mails are never run here");
            }
        };
    }
}
