package com.triageassistant.jira.emulator;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;

/**
 * Who is signed in to a site in a browser (sandbox and browser tests only; Jira's own login is not emulated):
 * a random session token in a cookie, mapped here to an account. The cookie is HttpOnly and SameSite=Lax; its name
 * carries the site's port because browsers share cookies between ports of one host and several sites run on
 * 127.0.0.1.
 *
 * <p>Requests authenticated by the cookie act as that person. Those that change something must come from a page of
 * this site ({@code Origin} equal to the site's): a page of another origin on the same host (the app's iframe,
 * say) would otherwise have the browser attach the cookie to its forged request.
 */
final class BrowserSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String cookieName;
    private final String origin;
    private final Function<String, Optional<EmulatedUser>> users;
    private final Map<String, String> accountBySession = new ConcurrentHashMap<>();

    BrowserSessions(String baseUrl, Function<String, Optional<EmulatedUser>> users) {
        URI base = URI.create(baseUrl);
        this.cookieName = "tenant.session.token." + base.getPort();
        this.origin = base.getScheme() + "://" + base.getAuthority();
        this.users = users;
    }

    /** Starts a session for the account and returns the {@code Set-Cookie} value that carries it. */
    String signIn(String accountId) {
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        accountBySession.put(session, accountId);
        return cookieName + "=" + session + "; Path=/; HttpOnly; SameSite=Lax";
    }

    /** The person the request's session cookie names, if any and still active. */
    Optional<EmulatedUser> signedIn(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Cookie");
        if (header == null) {
            return Optional.empty();
        }
        for (String cookie : header.split(";")) {
            String[] pair = cookie.strip().split("=", 2);
            if (pair.length == 2 && pair[0].equals(cookieName)) {
                String accountId = accountBySession.get(pair[1]);
                if (accountId != null) {
                    return users.apply(accountId).filter(EmulatedUser::active);
                }
            }
        }
        return Optional.empty();
    }

    /** GET and HEAD change nothing; anything else must come from this site's own pages. */
    boolean sameOriginOrSafe(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        return method.equals("GET") || method.equals("HEAD")
                || origin.equals(exchange.getRequestHeaders().getFirst("Origin"));
    }

    String origin() {
        return origin;
    }
}
