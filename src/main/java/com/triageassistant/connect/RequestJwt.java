package com.triageassistant.connect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

/** Where a request carries its Connect JWT, looked for where ACSB looks. */
public final class RequestJwt {

    private static final String SCHEME = "JWT ";
    private static final String PARAMETER = "jwt=";

    private RequestJwt() {
    }

    /**
     * The token of the {@code Authorization: JWT ...} header, else of the {@code jwt} query parameter, else null. The
     * parameter is read from the query string itself: {@code getParameter} would parse a form-encoded body, before
     * any check of its size.
     */
    public static String of(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith(SCHEME)) {
            return header.substring(SCHEME.length());
        }
        String query = request.getQueryString();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith(PARAMETER) && parameter.length() > PARAMETER.length()) {
                    return URLDecoder.decode(parameter.substring(PARAMETER.length()), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }
}
