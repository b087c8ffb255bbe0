package com.triageassistant.jira.emulator;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * Plays Atlassian's install key server ({@code connect-install-keys.atlassian.com}): serves the PEM public key
 * of every key pair it issued at {@code /<kid>}, 404 for any other id.
 */
public final class InstallKeyServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> pemByKid = new ConcurrentHashMap<>();
    private volatile boolean hanging;

    public InstallKeyServer() {
        this(0);
    }

    /** @param port 0 for any free port; a fixed one lets an app be configured before the emulator starts */
    public InstallKeyServer(int port) {
        server = LoopbackHttpServer.create(port);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            while (hanging) {
                pause();
            }
            String kid = exchange.getRequestURI().getPath().substring(1);
            String pem = pemByKid.get(kid);
            byte[] body = (pem == null ? "no such key" : pem).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(pem == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** A new RSA key pair whose public half this server publishes. */
    public SigningKey issueKey() {
        SigningKey key = SigningKey.generate();
        pemByKid.put(key.kid(), key.publicPem());
        return key;
    }

    /** While hanging, the server accepts connections and never answers. */
    public void hang(boolean hanging) {
        this.hanging = hanging;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        hanging = false;
        server.stop(0);
    }

    /** An RSA key pair with its key id. */
    public record SigningKey(String kid, KeyPair pair) {

        /** A key pair nobody publishes: installs signed with it must fail. */
        public static SigningKey generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return new SigningKey(UUID.randomUUID().toString(), generator.generateKeyPair());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public SigningKey withKid(String otherKid) {
            return new SigningKey(otherKid, pair);
        }

        String publicPem() {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPublic().getEncoded());
            return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
        }
    }
}
