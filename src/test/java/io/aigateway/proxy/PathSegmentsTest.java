package io.aigateway.proxy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PathSegmentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "gpt-4o-mini_2024.07~18", "ABCxyz0123456789"})
    void unreservedSegmentIsReturnedAsIs(String segment) {
        assertSame(segment, PathSegments.encode(segment));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpt 4o|gpt%204o",
        "team/gpt-4o|team%2Fgpt-4o",
        "a?b#c|a%3Fb%23c",
        "..%2F|..%252F",
        "llama3.1:8b|llama3.1%3A8b",
        "mod\u00e8le|mod%C3%A8le",
        "\uD83D\uDE00|%F0%9F%98%80"})
    void everyOtherCharacterIsPercentEncodedAsUtf8(String segment, String encoded) {
        assertEquals(encoded, PathSegments.encode(segment));
    }
}
