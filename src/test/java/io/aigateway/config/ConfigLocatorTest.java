package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLocatorTest {

    @TempDir
    Path workingDir;

    private final Map<String, String> jndi = new HashMap<>();
    private final Map<String, String> contextParams = new HashMap<>();
    private final Map<String, String> systemProperties = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private Path jndiFile;
    private Path paramFile;
    private Path propertyFile;
    private Path envFile;
    private Path defaultFile;

    @BeforeEach
    void createOneFilePerSource() throws IOException {
        jndiFile = touch("jndi.yaml");
        paramFile = touch("param.yaml");
        propertyFile = touch("property.yaml");
        envFile = touch("env.yaml");
        defaultFile = touch("conf/gateway.yaml");
    }

    @Test
    void jndiComesFirst() {
        setEverySource();

        assertEquals(new ConfigSource(jndiFile, "JNDI java:comp/env/aigateway/config"), locate());
    }

    @Test
    void contextInitParamComesSecond() {
        setEverySource();
        jndi.clear();

        assertEquals(new ConfigSource(paramFile, "context init-param aigateway.config"), locate());
    }

    @Test
    void systemPropertyComesThird() {
        setEverySource();
        jndi.clear();
        contextParams.clear();

        assertEquals(new ConfigSource(propertyFile, "system property aigateway.config"), locate());
    }

    @Test
    void environmentComesFourth() {
        env.put("AIGATEWAY_CONFIG", envFile.toString());

        assertEquals(new ConfigSource(envFile, "environment AIGATEWAY_CONFIG"), locate());
    }

    @Test
    void fallsBackToConfGatewayYamlInTheWorkingDirectory() {
        assertEquals(new ConfigSource(defaultFile, "default conf/gateway.yaml"), locate());
    }

    @Test
    void skipsBlankValues() {
        jndi.put(ConfigLocator.JNDI_NAME, "");
        contextParams.put(ConfigLocator.PARAMETER, "  ");
        systemProperties.put(ConfigLocator.PARAMETER, "\t");
        env.put(ConfigLocator.ENV_VARIABLE, envFile.toString());

        assertEquals(new ConfigSource(envFile, "environment AIGATEWAY_CONFIG"), locate());
    }

    @Test
    void resolvesARelativeNameAgainstTheWorkingDirectory() {
        systemProperties.put(ConfigLocator.PARAMETER, "conf/../property.yaml");

        assertEquals(propertyFile, locate().path());
    }

    @Test
    void aMissingFileIsAnErrorNamingTheFileAndItsSource() {
        contextParams.put(ConfigLocator.PARAMETER, "missing.yaml");

        ConfigException e = assertThrows(ConfigException.class, this::locate);

        assertEquals("context init-param aigateway.config: 1 problem(s):\n  "
                + workingDir.resolve("missing.yaml") + ": does not exist", e.getMessage());
    }

    @Test
    void aMissingDefaultFileSaysHowToNameAnother() throws IOException {
        Files.delete(defaultFile);

        ConfigException e = assertThrows(ConfigException.class, this::locate);

        assertEquals("default conf/gateway.yaml", e.origin());
        assertTrue(e.getMessage().contains(workingDir.resolve("conf/gateway.yaml") + ": does not exist (name"),
                e.getMessage());
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        env.put(ConfigLocator.ENV_VARIABLE, "conf");

        ConfigException e = assertThrows(ConfigException.class, this::locate);

        assertEquals(workingDir.resolve("conf") + ": is not a regular file", e.problems().get(0).toString());
    }

    @Test
    void realJndiLookupIsNullOutsideAContainer() {
        assertNull(ConfigLocator.jndi().lookup(ConfigLocator.JNDI_NAME));
    }

    private ConfigSource locate() {
        return new ConfigLocator(jndi::get, contextParams::get, systemProperties::get, env::get, workingDir).locate();
    }

    private void setEverySource() {
        jndi.put(ConfigLocator.JNDI_NAME, jndiFile.toString());
        contextParams.put(ConfigLocator.PARAMETER, paramFile.toString());
        systemProperties.put(ConfigLocator.PARAMETER, propertyFile.toString());
        env.put(ConfigLocator.ENV_VARIABLE, envFile.toString());
    }

    private Path touch(String name) throws IOException {
        Path file = workingDir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "{}\n");
    }
}
