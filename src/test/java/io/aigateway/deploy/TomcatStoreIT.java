package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged WAR in Tomcat 11 on MariaDB through a JNDI DataSource (java:comp/env/jdbc/aigateway): the schema is
 * migrated, a tenant created through the admin API can call at once, and its request lands in the request log.
 */
class TomcatStoreIT {
    static final String ADMIN_KEY = "admin-tomcat-store";

    @TempDir
    Path baseDir;

    @Test
    void warRunsOnMariaDbThroughAJndiDataSourceAndIsManagedThroughTheAdminApi() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure"); TestDatabase db = TestDatabase.mariadb("tomcat_store")) {
            Path config = Files.createTempFile("tomcat-store-", ".yaml");
            Files.writeString(config, """
                admin: {keys: ["%s"]}
                tenants: []
                backends:
                  - {name: az, flavor: azure, endpoint: "%s", keys: [az-key], deployments: [{name: dep, model: gpt-4o}]}
                """.formatted(ADMIN_KEY, backend.url()));
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            tomcat.setHostname("127.0.0.1");
            tomcat.setPort(0);
            tomcat.enableNaming();
            tomcat.setAddDefaultWebXmlToWebapp(false);
            // Unpacked, as Tomcat deploys a WAR by default: classes read from jars inside a packed WAR are
            // inflated anew for each one, which makes Hibernate's start take minutes.
            Files.createDirectories(baseDir.resolve("webapps"));
            Context context = tomcat.addWebapp("", Deployments.war().toString());
            context.addParameter("aigateway.config", config.toString());
            ContextResource dataSource = new ContextResource();
            dataSource.setName("jdbc/aigateway");
            dataSource.setType("org.mariadb.jdbc.MariaDbPoolDataSource");
            dataSource.setProperty("factory", "org.apache.naming.factory.BeanFactory");
            dataSource.setProperty("url", db.url());
            context.getNamingResources().addResource(dataSource);
            tomcat.getConnector();
            tomcat.start();
            try {
                URI gateway = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> created = client.send(HttpRequest.newBuilder(gateway.resolve("/admin/tenants"))
                        .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tc\",\"models\":[\"gpt-4o\"]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                String key = Json.parse(created.body()).getJsonObject("key").getString("key");
                HttpResponse<String> chat = client.send(HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", false))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, chat.statusCode(), chat.body());
                JsonObject status = Json.parse(client.send(HttpRequest.newBuilder(gateway.resolve("/admin/status"))
                        .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
                assertEquals("JNDI java:comp/env/jdbc/aigateway", status.getJsonObject("config").getString("store"));
            } finally {
                tomcat.stop();
                tomcat.destroy();
            }
            // Stopping flushed the request log.
            try (Connection connection = db.connect()) {
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT tenant, status FROM request_log");
                assertTrue(rows.next());
                assertEquals("tc", rows.getString(1));
                assertEquals(200, rows.getInt(2));
            }
        }
    }
}
