package io.aigateway.deploy;

import io.aigateway.config.ConfigLoader;
import io.aigateway.config.ConfigLocator;
import io.aigateway.config.GatewayConfig;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.plus.jndi.EnvEntry;
import org.eclipse.jetty.plus.jndi.NamingEntryUtil;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the packaging without a Docker engine or a systemd: that the Dockerfile, the compose file,
 * the systemd unit and the Jetty and Tomcat examples name files that exist, agree with each other and with the
 * launcher (config path, port, jar name, exit code), and that each parses.
 */
class PackagingFilesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String CONFIG_IN_IMAGE = "/etc/ai-gateway/gateway.yaml";
    /** The launcher's exit code after a SIGTERM (README "Standalone"). */
    private static final String SIGTERM_EXIT = "143";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

    @Test
    void dockerfileBuildsInOneStageAndRunsAsAnUnprivilegedUserWithAHealthcheck() throws IOException {
        List<String> instructions = dockerInstructions(ROOT.resolve("Dockerfile"));
        List<String> froms = instructions.stream().filter(i -> i.startsWith("FROM ")).toList();
        assertEquals(2, froms.size(), "a build stage and a runtime stage: " + froms);
        assertTrue(froms.get(0).matches("FROM maven:\\S+ AS build"), froms.get(0));
        assertTrue(froms.get(1).matches("FROM eclipse-temurin:\\d+-jre"), "a JRE, not a JDK: " + froms.get(1));

        Set<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#")).map(line -> line.replaceAll("/$", ""))
            .collect(Collectors.toSet());
        String workdir = null;
        for (String instruction : instructions) {
            if (instruction.startsWith("WORKDIR "))
                workdir = instruction.substring(8).trim();
            if (!instruction.startsWith("COPY "))
                continue;
            List<String> words = List.of(instruction.substring(5).trim().split("\\s+"));
            if (words.get(0).equals("--from=build")) {
                assertEquals("/build/target/" + standaloneJarName(), words.get(1),
                    "the build stage (WORKDIR /build) produces the jar the pom and assembly name");
                continue;
            }
            for (String source : words.subList(0, words.size() - 1)) {
                assertTrue(Files.exists(ROOT.resolve(source)), "COPY source " + source + " exists");
                assertFalse(ignored.contains(source.replaceAll("/$", "").split("/")[0]), source + " is not in .dockerignore");
            }
        }
        assertEquals("/opt/ai-gateway", workdir, "the runtime's working directory holds data/");

        String user = instructions.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertFalse(user.matches("USER (root|0)(:.*)?"), user);
        String expose = instructions.stream().filter(i -> i.startsWith("EXPOSE ")).findFirst().orElseThrow();
        String port = expose.substring(7).trim();
        String healthcheck = instructions.stream().filter(i -> i.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
        assertTrue(healthcheck.contains("/dev/tcp/127.0.0.1/" + port) && healthcheck.contains("GET /health "), healthcheck);
        String cmd = instructions.stream().filter(i -> i.startsWith("CMD ")).reduce((a, b) -> b).orElseThrow();
        assertTrue(cmd.contains("\"--config\", \"" + CONFIG_IN_IMAGE + "\""), cmd);
        assertTrue(cmd.contains("\"--port\", \"" + port + "\"") && cmd.contains("\"--addr\", \"0.0.0.0\""), cmd);
        assertTrue(instructions.stream().anyMatch(i -> i.equals("COPY conf/gateway.yaml " + CONFIG_IN_IMAGE)),
            "a default config where --config looks");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheImageWithMariaDbAndRedisAndAValidConfig() throws IOException {
        Map<String, Object> compose = (Map<String, Object>)new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>)compose.get("services");
        assertEquals(Set.of("gateway", "mariadb", "redis"), services.keySet());

        Map<String, Object> gateway = services.get("gateway");
        assertTrue(Files.isRegularFile(ROOT.resolve((String)gateway.get("build")).resolve("Dockerfile")));
        Path config = null;
        for (String volume : (List<String>)gateway.get("volumes")) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./")) {
                assertTrue(Files.exists(ROOT.resolve(parts[0])), "mounted file " + parts[0] + " exists");
                if (parts[1].equals(CONFIG_IN_IMAGE))
                    config = ROOT.resolve(parts[0]);
            } else {
                assertTrue(((Map<String, Object>)compose.get("volumes")).containsKey(parts[0]), "named volume " + parts[0]);
            }
        }
        assertNotNull(config, "a config is mounted at " + CONFIG_IN_IMAGE);

        // Every variable the config reads is given to the container, and with a value for each the config is valid.
        Map<String, Object> environment = (Map<String, Object>)gateway.get("environment");
        Set<String> needed = envReferences(Files.readString(config));
        assertTrue(environment.keySet().containsAll(needed), "compose passes " + needed + ", has " + environment.keySet());
        Map<String, String> values = new HashMap<>();
        needed.forEach(name -> values.put(name, name.endsWith("ENDPOINT") ? "https://example.openai.azure.com" : "value-of-" + name));
        GatewayConfig loaded = new ConfigLoader(values::get).load(config);
        assertEquals(8080, loaded.server().port());

        // The JDBC URL names the database and user the MariaDB service creates.
        Map<String, Object> mariadbEnv = (Map<String, Object>)services.get("mariadb").get("environment");
        String command = String.join(" ", (List<String>)gateway.get("command"));
        assertTrue(command.contains("jdbc:mariadb://mariadb:3306/" + mariadbEnv.get("MARIADB_DATABASE") + "?user="
            + mariadbEnv.get("MARIADB_USER") + "&"), command);
        assertTrue(command.contains("--config " + CONFIG_IN_IMAGE), command);
        Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>)gateway.get("depends_on");
        for (String dependency : List.of("mariadb", "redis")) {
            assertEquals("service_healthy", dependsOn.get(dependency).get("condition"));
            assertNotNull(services.get(dependency).get("healthcheck"), dependency + " has a healthcheck");
        }
    }

    @Test
    void systemdUnitRunsTheLauncherHardenedWithAnEnvironmentFile() throws Exception {
        Path unit = ROOT.resolve("conf/systemd/ai-gateway.service");
        Map<String, Map<String, List<String>>> sections = ini(unit);
        assertEquals(Set.of("Unit", "Service", "Install"), sections.keySet());
        Map<String, List<String>> service = sections.get("Service");
        String execStart = service.get("ExecStart").get(0);
        assertTrue(execStart.contains("-jar /opt/ai-gateway/" + standaloneJarName() + " --config /etc/ai-gateway/gateway.yaml"), execStart);
        assertTrue(execStart.contains("$JAVA_OPTS"), execStart);
        assertEquals(List.of("/etc/ai-gateway/ai-gateway.env"), service.get("EnvironmentFile"));
        assertFalse(service.get("User").get(0).equals("root"));
        assertEquals(List.of(SIGTERM_EXIT), service.get("SuccessExitStatus"));
        assertTrue(Integer.parseInt(service.get("TimeoutStopSec").get(0)) > 30, "longer than the launcher's 30 s grace");
        for (String hardening : List.of("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "PrivateDevices=yes", "RestrictSUIDSGID=yes", "CapabilityBoundingSet="))
            assertEquals(List.of(hardening.substring(hardening.indexOf('=') + 1)), service.get(hardening.substring(0, hardening.indexOf('='))), hardening);

        Set<String> envFile = Files.readAllLines(ROOT.resolve("conf/systemd/ai-gateway.env")).stream()
            .filter(line -> line.contains("=") && !line.startsWith("#")).map(line -> line.substring(0, line.indexOf('=')))
            .collect(Collectors.toSet());
        Set<String> needed = new TreeSet<>(envReferences(Files.readString(ROOT.resolve("conf/gateway.yaml"))));
        needed.add("JAVA_OPTS");
        assertTrue(envFile.containsAll(needed), "the env file sets " + needed + ": " + envFile);

        verifiedBySystemd(unit);
    }

    /** {@code systemd-analyze verify} where it exists: any complaint about a line of the unit fails. */
    private static void verifiedBySystemd(Path unit) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            System.err.println("*** SKIPPED: systemd-analyze is not installed; the unit was checked as INI only ***");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        // "ai-gateway.service:12: Unknown key ..." names a line; a missing /usr/bin/java here names none.
        List<String> complaints = output.lines().filter(line -> line.matches(".*ai-gateway\\.service:\\d+:.*")).toList();
        assertEquals(List.of(), complaints, output);
    }

    @Test
    void jettyBaseEnablesTheModulesAndItsContextFileConfiguresTheWar() throws Exception {
        Path base = ROOT.resolve("conf/jetty/jetty-base");
        Set<String> modules = new TreeSet<>();
        try (var files = Files.list(base.resolve("start.d"))) {
            for (Path ini : files.toList()) {
                for (String line : Files.readAllLines(ini)) {
                    if (line.startsWith("--module="))
                        modules.add(line.substring(9));
                }
            }
        }
        assertTrue(modules.containsAll(Set.of("server", "http", "ee10-deploy", "ee10-plus", "graceful")), modules.toString());

        Path webapps = Files.createTempDirectory("webapps");
        try (ResourceFactory.Closeable resources = ResourceFactory.closeable()) {
            XmlConfiguration xml = new XmlConfiguration(resources.newResource(base.resolve("webapps/ai-gateway.xml")));
            xml.getProperties().put("jetty.webapps", webapps.toString());
            WebAppContext webapp = (WebAppContext)xml.configure();
            assertEquals("/", webapp.getContextPath());
            assertEquals(webapps.resolve("ai-gateway.war").toString(), webapp.getWar());
            EnvEntry config = (EnvEntry)NamingEntryUtil.lookupNamingEntry(webapp, jndiName());
            assertNotNull(config, "the context file binds " + jndiName());
            assertEquals(CONFIG_IN_IMAGE, new javax.naming.InitialContext().lookup(config.getJndiNameInScope()));
        }
    }

    @Test
    void tomcatContextDeclaresTheConfigEnvironmentEntry() throws Exception {
        Element context = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(ROOT.resolve("conf/tomcat/ai-gateway.xml").toFile()).getDocumentElement();
        assertEquals("Context", context.getTagName());
        Element environment = (Element)context.getElementsByTagName("Environment").item(0);
        assertEquals(jndiName(), environment.getAttribute("name"));
        assertEquals("java.lang.String", environment.getAttribute("type"));
        assertEquals(CONFIG_IN_IMAGE, environment.getAttribute("value"));
    }

    /** {@code aigateway/config}: the name below {@code java:comp/env/} the gateway looks up. */
    private static String jndiName() {
        return ConfigLocator.JNDI_NAME.substring("java:comp/env/".length());
    }

    /** {@code <finalName>-<assembly id>.jar}, as the pom and the assembly descriptor name it. */
    private static String standaloneJarName() throws IOException {
        String finalName = firstGroup("<finalName>([^<$]+)</finalName>", Files.readString(ROOT.resolve("pom.xml")));
        String id = firstGroup("<id>([^<]+)</id>", Files.readString(ROOT.resolve("standalone-jetty/assembly.xml")));
        return finalName + "-" + id + ".jar";
    }

    private static String firstGroup(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex);
        return matcher.group(1);
    }

    /** The variables a YAML config reads, comment lines aside. */
    private static Set<String> envReferences(String yaml) {
        Set<String> names = new TreeSet<>();
        String text = yaml.lines().filter(line -> !line.stripLeading().startsWith("#")).collect(Collectors.joining("\n"));
        Matcher matcher = ENV_REFERENCE.matcher(text);
        while (matcher.find())
            names.add(matcher.group(1));
        return names;
    }

    /** The Dockerfile's instructions, comments dropped and continuation lines joined. */
    private static List<String> dockerInstructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (line.isBlank() || line.stripLeading().startsWith("#"))
                continue;
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(line).toString().replaceAll("\\s+", " ").trim());
            current.setLength(0);
        }
        return instructions;
    }

    /** A systemd unit as sections of keys, each with its values in order. */
    private static Map<String, Map<String, List<String>>> ini(Path file) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith(";"))
                continue;
            if (line.startsWith("[")) {
                section = new LinkedHashMap<>();
                sections.put(line.substring(1, line.indexOf(']')), section);
                continue;
            }
            assertNotNull(section, "a key before any section: " + line);
            int equals = line.indexOf('=');
            assertTrue(equals > 0, "not a key=value line: " + line);
            section.computeIfAbsent(line.substring(0, equals).trim(), key -> new ArrayList<>()).add(line.substring(equals + 1).trim());
        }
        return sections;
    }
}
