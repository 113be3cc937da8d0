package dev.skewless.router.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, so a test controls every byte a client sends (the Host header,
 * repeated header lines, odd paths), which {@code java.net.http} does not allow.
 */
final class RawHttp {
    /** A response: status, headers (names lower-cased, values in order) and the decoded body. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.getFirst();
        }
    }

    private RawHttp() {}

    /**
     * Sends one request and reads the whole response.
     *
     * @param target    the server
     * @param method    GET, POST...
     * @param pathQuery exactly what goes on the request line
     * @param headers   header lines in order, e.g. {@code "Host: app.example.com"}
     */
    static Response send(URI target, String method, String pathQuery, List<String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(method + " " + pathQuery + " HTTP/1.1\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!head && status != 204 && status != 304) {
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (te != null && te.getFirst().equalsIgnoreCase("chunked")) {
                int size;
                while ((size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (cl != null) {
                body.write(in.readNBytes(Integer.parseInt(cl.getFirst())));
            } else {
                in.transferTo(body);
            }
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                buf.write(c);
            }
        }
        if (c < 0 && buf.size() == 0) {
            throw new IOException("connection closed before a full response");
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
