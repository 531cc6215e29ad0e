package io.aigateway.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResponseAffinityTest {

    @Test
    void remembersWhichDeploymentCreatedAResponse() {
        ResponseAffinity affinity = new ResponseAffinity(10);

        affinity.remember("resp_1", "azure-eu/gpt4o-eu");

        assertEquals("azure-eu/gpt4o-eu", affinity.deploymentOf("resp_1"));
        assertNull(affinity.deploymentOf("resp_2"));
    }

    @Test
    void forgetsADeletedResponse() {
        ResponseAffinity affinity = new ResponseAffinity(10);
        affinity.remember("resp_1", "openai/gpt-4o");

        affinity.forget("resp_1");

        assertNull(affinity.deploymentOf("resp_1"));
    }

    @Test
    void forgetsTheLeastRecentlyUsedIdBeyondCapacity() {
        ResponseAffinity affinity = new ResponseAffinity(2);
        affinity.remember("resp_1", "a/x");
        affinity.remember("resp_2", "b/x");
        affinity.deploymentOf("resp_1");

        affinity.remember("resp_3", "c/x");

        assertEquals("a/x", affinity.deploymentOf("resp_1"), "read recently, so kept");
        assertNull(affinity.deploymentOf("resp_2"));
        assertEquals("c/x", affinity.deploymentOf("resp_3"));
    }
}
