package dev.skewless.operator.admission;

import java.io.ByteArrayOutputStream;

/**
 * PKCS#8 wrapping of a PKCS#1 RSA private key ({@code BEGIN RSA PRIVATE KEY}, what cert-manager
 * writes by default and {@code openssl genrsa -traditional} prints), because the JDK's
 * {@code KeyFactory} reads PKCS#8 only.
 */
final class Pkcs8 {
    /** {@code SEQUENCE { OID 1.2.840.113549.1.1.1 (rsaEncryption), NULL }} */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pkcs8() {}

    /** {@code PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }} */
    static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(VERSION_0);
        body.writeBytes(RSA_ALGORITHM);
        tagged(body, 0x04, pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tagged(out, 0x30, body.toByteArray());
        return out.toByteArray();
    }

    private static void tagged(ByteArrayOutputStream out, int tag, byte[] content) {
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((n >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(content);
    }
}
