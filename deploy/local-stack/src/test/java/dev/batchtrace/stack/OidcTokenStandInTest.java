package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's tokens outlive Apicurio's basic-auth token cache: with 5-minute tokens a job that
 * read for more than 5 minutes got 401 from the secured registry.
 */
class OidcTokenStandInTest {

    @Test
    void tokensLiveAnHourAndWrongSecretsGetNone() throws Exception {
        try (OidcTokenStandIn standIn = OidcTokenStandIn.start("client", "secret")) {
            HttpResponse<String> granted = token(standIn, "secret");
            HttpResponse<String> refused = token(standIn, "wrong");

            assertEquals(200, granted.statusCode(), granted.body());
            assertTrue(granted.body().contains("\"expires_in\":3600"), granted.body());
            String jwt = field(granted.body(), "access_token");
            String claims =
                    new String(
                            Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                            StandardCharsets.UTF_8);
            long exp = Long.parseLong(number(claims, "exp"));
            long left = exp - Instant.now().getEpochSecond();
            assertTrue(left > 3_500 && left <= 3_600, "seconds left " + left);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals(1, standIn.tokensIssued());
        }
    }

    private static HttpResponse<String> token(OidcTokenStandIn standIn, String secret)
            throws Exception {
        String form = "grant_type=client_credentials&client_id=client&client_secret=" + secret;
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(standIn.tokenEndpoint()))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
