package dev.batchtrace.cli.explorer;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who may read the explorer. On loopback everyone on the machine may (as with the local stack);
 * bound elsewhere a token or basic auth is required, because trace documents name customers and
 * shipments. Read-only either way: the explorer has no writing route.
 */
final class AccessGuard {

    static final String TOKEN_COOKIE = "batchtrace_token";

    private final String token;
    private final String user;
    private final String password;

    private AccessGuard(String token, String user, String password) {
        this.token = token;
        this.user = user;
        this.password = password;
    }

    /**
     * @throws IllegalArgumentException a non-loopback bind without token or basic auth, an unknown
     *     bind address, or basic auth without password
     */
    static AccessGuard of(String bind, String token, String user, String password) {
        boolean hasToken = token != null && !token.isBlank();
        boolean hasUser = user != null && !user.isBlank();
        if (hasUser && (password == null || password.isEmpty())) {
            throw new IllegalArgumentException(
                    "--basic-auth "
                            + user
                            + " needs a password in the environment variable "
                            + ServeCommand.PASSWORD_ENV);
        }
        if (!hasToken && !hasUser && !isLoopback(bind)) {
            throw new IllegalArgumentException(
                    "refusing to serve trace data on "
                            + bind
                            + " without access control: bind to 127.0.0.1 (the default), or set"
                            + " --token (or "
                            + ServeCommand.TOKEN_ENV
                            + ") or --basic-auth USER with "
                            + ServeCommand.PASSWORD_ENV);
        }
        return new AccessGuard(hasToken ? token : null, hasUser ? user : null, password);
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve --bind " + bind, e);
        }
    }

    boolean open() {
        return token == null && user == null;
    }

    /** Lets the request through or answers 401. */
    void check(Context ctx) {
        if (open()) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if (token != null) {
            String offered = null;
            if (authorization != null && authorization.startsWith("Bearer ")) {
                offered = authorization.substring("Bearer ".length()).strip();
            } else if (ctx.queryParam("token") != null) {
                offered = ctx.queryParam("token");
            } else if (ctx.cookie(TOKEN_COOKIE) != null) {
                offered = ctx.cookie(TOKEN_COOKIE);
            }
            if (offered != null && same(offered, token)) {
                if (ctx.queryParam("token") != null) {
                    // a link with ?token= once; the browser keeps it for the page's own requests
                    ctx.header(
                            "Set-Cookie",
                            TOKEN_COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
                }
                return;
            }
        }
        if (user != null && authorization != null && authorization.startsWith("Basic ")) {
            String decoded;
            try {
                decoded =
                        new String(
                                Base64.getDecoder()
                                        .decode(authorization.substring("Basic ".length()).strip()),
                                StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            if (same(decoded, user + ":" + password)) {
                return;
            }
        }
        if (user != null) {
            ctx.header("WWW-Authenticate", "Basic realm=\"batchtrace trace explorer\"");
        }
        ctx.status(HttpStatus.UNAUTHORIZED);
        throw new UnauthorizedResponse(
                token != null
                        ? "a token is required: Authorization: Bearer TOKEN or ?token=TOKEN"
                        : "basic auth is required");
    }

    private static boolean same(String offered, String expected) {
        // constant time: a token must not leak through response timing
        return MessageDigest.isEqual(
                offered.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
