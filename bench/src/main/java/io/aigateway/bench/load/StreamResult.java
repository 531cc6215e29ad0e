package io.aigateway.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one streaming run saw. Times in microseconds: time to first byte from sending the request to the first
 * content event, and the gaps between consecutive events of a stream (the mock paces them a fixed gap apart).
 *
 * @param completed   streams that ended with every event received in order and unchanged
 * @param failed      streams that failed in transport or answered non-2xx
 * @param unfaithful  streams that ended but with an event missing, altered, reordered or extra
 * @param coalesced   events that arrived in the same read as the event before (gathered by something in the path)
 * @param events      events received in all
 * @param seconds     length of the run
 */
public record StreamResult(int concurrency, long completed, long failed, long unfaithful, long coalesced, long events,
                           Histogram ttfbMicros, Histogram gapMicros, double seconds) {

    public double streamsPerSecond() {
        return seconds <= 0 ? 0 : completed / seconds;
    }
}
