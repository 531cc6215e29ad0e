package io.aigateway.proxy;

import io.aigateway.proxy.RoutableBody.InvalidBodyException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartBodyTest {
    private static final String BOUNDARY = "----form-7MA4YWxkTrZu0gW";
    private static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
    /** Bytes a file part may hold: NUL, CR and LF, a lone "--", invalid UTF-8 and every other byte value. */
    private static final byte[] AUDIO = audio();

    @Test
    void findsTheModelFieldAmongFileParts() throws Exception {
        MultipartBody body = MultipartBody.parse(form(BOUNDARY, "whisper-1"), CONTENT_TYPE);

        assertEquals("whisper-1", body.model());
        assertFalse(body.stream());
    }

    @Test
    void rewritesOnlyTheModelValueKeepingEveryOtherByte() throws Exception {
        MultipartBody body = MultipartBody.parse(form(BOUNDARY, "whisper-1"), CONTENT_TYPE);

        byte[] rewritten = body.withModel("whisper-eu-deployment");

        assertArrayEquals(form(BOUNDARY, "whisper-eu-deployment"), rewritten);
    }

    @Test
    void rewritesToAShorterOrNonAsciiName() throws Exception {
        MultipartBody body = MultipartBody.parse(form(BOUNDARY, "a-rather-long-public-model-name"), CONTENT_TYPE);

        assertArrayEquals(form(BOUNDARY, "m"), body.withModel("m"));
        assertArrayEquals(form(BOUNDARY, "mod\u00e8le"), body.withModel("mod\u00e8le"));
    }

    @Test
    void rewrittenBodyParsesToTheNewModel() throws Exception {
        byte[] rewritten = MultipartBody.parse(form(BOUNDARY, "whisper-1"), CONTENT_TYPE).withModel("dep");

        assertEquals("dep", MultipartBody.parse(rewritten, CONTENT_TYPE).model());
    }

    @Test
    void sameModelReturnsTheSameArray() throws Exception {
        byte[] bytes = form(BOUNDARY, "whisper-1");

        assertSame(bytes, MultipartBody.parse(bytes, CONTENT_TYPE).withModel("whisper-1"));
    }

    @Test
    void withoutAModelFieldTheModelIsNullAndTheBodyIsKept() throws Exception {
        byte[] bytes = new Form(BOUNDARY)
            .file("file", "speech.mp3", AUDIO)
            .field("language", "en")
            .field("model_version", "not-the-model")
            .end();

        MultipartBody body = MultipartBody.parse(bytes, CONTENT_TYPE);

        assertNull(body.model());
        assertSame(bytes, body.withModel("dep"));
    }

    @Test
    void fileNamedModelIsNotTheModelField() throws Exception {
        byte[] bytes = new Form(BOUNDARY).file("file", "model", AUDIO).end();

        assertNull(MultipartBody.parse(bytes, CONTENT_TYPE).model());
    }

    @Test
    void findsTheModelFieldWhenItComesFirst() throws Exception {
        byte[] bytes = new Form(BOUNDARY).field("model", "gpt-image-1").file("image", "cat.png", AUDIO).end();

        MultipartBody body = MultipartBody.parse(bytes, CONTENT_TYPE);

        assertEquals("gpt-image-1", body.model());
        assertArrayEquals(new Form(BOUNDARY).field("model", "dep").file("image", "cat.png", AUDIO).end(),
            body.withModel("dep"));
    }

    @Test
    void readsAnUnquotedFieldName() throws Exception {
        byte[] bytes = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=model\r\n\r\nwhisper-1\r\n--"
            + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);

        assertEquals("whisper-1", MultipartBody.parse(bytes, CONTENT_TYPE).model());
    }

    @Test
    void readsABoundaryQuotedInTheContentType() throws Exception {
        String boundary = "=_part:0/1?";
        byte[] bytes = form(boundary, "whisper-1");
        String contentType = "multipart/form-data; boundary=\"" + boundary + "\"";

        MultipartBody body = MultipartBody.parse(bytes, contentType);

        assertEquals("whisper-1", body.model());
        assertArrayEquals(form(boundary, "dep"), body.withModel("dep"));
    }

    @Test
    void readsABoundaryFollowedByOtherParameters() throws Exception {
        MultipartBody body = MultipartBody.parse(form(BOUNDARY, "whisper-1"),
            "Multipart/Form-Data; boundary=\"" + BOUNDARY + "\"; charset=utf-8");

        assertEquals("whisper-1", body.model());
    }

    @Test
    void rejectsAContentTypeWithoutBoundary() {
        InvalidBodyException e = assertThrows(InvalidBodyException.class,
            () -> MultipartBody.parse(form(BOUNDARY, "whisper-1"), "multipart/form-data"));

        assertEquals(400, e.error().status());
    }

    @Test
    void recognisesMultipartContentTypesOnly() {
        assertTrue(MultipartBody.isMultipart("multipart/form-data; boundary=x"));
        assertTrue(MultipartBody.isMultipart("Multipart/Form-Data; boundary=x"));
        assertFalse(MultipartBody.isMultipart("application/json"));
        assertFalse(MultipartBody.isMultipart("multipart/mixed; boundary=x"));
        assertFalse(MultipartBody.isMultipart(null));
    }

    /** A transcription request: a file part before and after the model field. */
    private static byte[] form(String boundary, String model) {
        return new Form(boundary)
            .file("file", "speech.mp3", AUDIO)
            .field("model", model)
            .field("response_format", "json")
            .file("prompt_audio", "more.wav", AUDIO)
            .end();
    }

    private static byte[] audio() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, '\r', '\n', '-', '-', '\r', '\n', '\r', '\n', (byte)0xFF, (byte)0xC3});
        for (int b = 0; b < 256; b++) {
            out.write(b);
        }
        out.writeBytes("name=\"model\"".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Builds a multipart/form-data body with CRLF line ends, as clients send it. */
    private static final class Form {
        private final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form(String boundary) {
            this.boundary = boundary;
        }

        Form field(String name, String value) {
            ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            ascii("\r\n");
            return this;
        }

        Form file(String name, String filename, byte[] content) {
            ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(content);
            ascii("\r\n");
            return this;
        }

        byte[] end() {
            ascii("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void ascii(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
