package com.triageassistant.jira.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URL of an app's iframe, built as Jira builds it: the module's URL with its context variables filled in
 * (URL-encoded; unknown ones become empty), Connect's own parameters ({@code xdm_e} the site, {@code xdm_c} the
 * channel, {@code cp}, the app key, {@code lic}, {@code cv}), and a {@code jwt} for exactly that request: HS256 with
 * the shared secret, {@code iss} the clientKey, {@code sub} the signed-in person, {@code qsh} of GET, the module's
 * path and every other parameter, valid for three minutes.
 */
final class ConnectIframe {

    private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9._]*)}");
    private static final Duration TOKEN_TTL = Duration.ofMinutes(3);

    private ConnectIframe() {
    }

    /**
     * @param context variables such as {@code issue.key} and {@code project.id}
     * @return the absolute iframe URL
     */
    static String url(String siteBaseUrl, String clientKey, String sharedSecret, InstalledApp app,
                      InstalledApp.PageModule module, Map<String, String> context, String accountId) {
        Matcher matcher = VARIABLE.matcher(module.url());
        StringBuilder pathAndQuery = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(pathAndQuery,
                    Matcher.quoteReplacement(encode(context.getOrDefault(matcher.group(1), ""))));
        }
        matcher.appendTail(pathAndQuery);
        Map<String, String> connect = new LinkedHashMap<>();
        connect.put("xdm_e", siteBaseUrl);
        connect.put("xdm_c", "channel-" + app.key() + "__" + module.key());
        connect.put("cp", "");
        connect.put("xdm_deprecated_addon_key_do_not_use", app.key());
        connect.put("lic", "none");
        connect.put("cv", "1001.0.0-SNAPSHOT");
        char separator = pathAndQuery.indexOf("?") < 0 ? '?' : '&';
        for (Map.Entry<String, String> parameter : connect.entrySet()) {
            pathAndQuery.append(separator).append(parameter.getKey()).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        String token = ConnectJwts.hs256(sharedSecret, ConnectJwts.claims(clientKey,
                ConnectJwts.qsh("GET", pathAndQuery.toString()), TOKEN_TTL).subject(accountId).build());
        return app.baseUrl() + pathAndQuery + "&jwt=" + token;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
