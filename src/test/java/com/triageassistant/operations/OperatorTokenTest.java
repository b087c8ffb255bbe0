package com.triageassistant.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

/** The operator token file and the check in front of the operator endpoints. */
class OperatorTokenTest {

    static final String TOKEN = "s3cret-operator-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void theFilesTokenMatchesWithoutItsNewlineAndNothingElseDoes() throws Exception {
        OperatorToken token = OperatorToken.readFrom(write(TOKEN + "\n"));

        assertThat(token.matches(TOKEN)).isTrue();
        assertThat(token.matches(TOKEN + "x")).isFalse();
        assertThat(token.matches(TOKEN.substring(1))).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(OperatorToken.none().matches(TOKEN)).isFalse();
    }

    @Test
    void aMissingOrUnusableFileFailsWithAMessageThatNamesTheFileButNotItsContent() throws Exception {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> OperatorToken.readFrom(missing)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("triage.operations.token-file").hasMessageContaining(missing.toString())
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> OperatorToken.readFrom(write("short\n"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least " + OperatorToken.MIN_LENGTH).hasMessageNotContaining("short\n");
        assertThatThrownBy(() -> OperatorToken.readFrom(write("two tokens-on-one-line-here")))
                .hasMessageNotContaining("two tokens");
    }

    @Test
    void theCheckAsksForTheTokenRefusesAWrongOneAndLetsTheRightOneThrough() throws Exception {
        OperatorSecurityConfiguration.BearerCheck check = new OperatorSecurityConfiguration.BearerCheck(
                OperatorToken.readFrom(write(TOKEN)));

        MockHttpServletResponse none = filter(check, null);
        assertThat(none.getStatus()).isEqualTo(HttpServletResponse.SC_UNAUTHORIZED);
        assertThat(none.getHeader("WWW-Authenticate")).isEqualTo(OperatorSecurityConfiguration.REALM);
        assertThat(filter(check, "Bearer wrong").getStatus()).isEqualTo(HttpServletResponse.SC_UNAUTHORIZED);
        assertThat(filter(check, "Basic " + TOKEN).getStatus()).isEqualTo(HttpServletResponse.SC_UNAUTHORIZED);
        assertThat(filter(check, "Bearer " + TOKEN).getStatus()).isEqualTo(HttpServletResponse.SC_OK);
        assertThat(filter(check, "bearer " + TOKEN).getStatus()).isEqualTo(HttpServletResponse.SC_OK);
    }

    @Test
    void withoutATokenFileNoCredentialsCanHelpSoTheEndpointsAreForbidden() throws Exception {
        OperatorSecurityConfiguration.BearerCheck check = new OperatorSecurityConfiguration.BearerCheck(
                OperatorToken.none());

        MockHttpServletResponse response = filter(check, "Bearer " + TOKEN);

        assertThat(response.getStatus()).isEqualTo(HttpServletResponse.SC_FORBIDDEN);
        assertThat(response.getHeader("WWW-Authenticate")).isNull();
    }

    private static MockHttpServletResponse filter(OperatorSecurityConfiguration.BearerCheck check,
                                                  String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        try {
            check.doFilter(request, response, new MockFilterChain());
        } finally {
            SecurityContextHolder.clearContext();
        }
        return response;
    }

    private Path write(String content) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "token", ""), content);
    }
}
