package dev.batchtrace.stack;

/**
 * {@code java -cp local-stack.jar dev.batchtrace.stack.LocalStackMain up|status|down}: the same as
 * {@code bin/trace stack ...}, without the CLI. Settings come from system properties / env (see
 * {@link StackConfig.Setting}). Exit code 0 = done (status: all running), 1 = failed, 3 = status
 * found a server not running.
 */
public final class LocalStackMain {
    private LocalStackMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LocalStackMain up|status|down");
            return 1;
        }
        try {
            LocalStack stack = LocalStack.at(StackConfig.fromEnvironment());
            StackStatus status =
                    switch (args[0]) {
                        case "up" -> stack.up(System.out::println);
                        case "down" -> stack.down(System.out::println);
                        case "status" -> stack.status();
                        default -> null;
                    };
            if (status == null) {
                System.err.println(
                        "unknown command " + args[0] + "; usage: LocalStackMain up|status|down");
                return 1;
            }
            System.out.print(status.table());
            return args[0].equals("status") && !status.allRunning() ? 3 : 0;
        } catch (StackException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
