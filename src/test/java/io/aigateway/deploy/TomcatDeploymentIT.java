package io.aigateway.deploy;

import io.aigateway.testing.FakeBackend;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packaged WAR, unchanged, in Tomcat 11 with its config given through JNDI, as an operator would deploy it. */
class TomcatDeploymentIT {
    @TempDir
    Path baseDir;

    @Test
    void warServesChatInTomcatAndLeavesNoThreadsWhenUndeployed() throws Exception {
        try (FakeBackend backend = FakeBackend.start("azure")) {
            Path config = Deployments.writeConfig(backend, 0);
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            tomcat.setHostname("127.0.0.1");
            tomcat.setPort(0);
            tomcat.enableNaming();
            tomcat.setAddDefaultWebXmlToWebapp(false);
            Context context = tomcat.addWebapp("", Deployments.war().toString());
            ContextEnvironment environment = new ContextEnvironment();
            environment.setName("aigateway/config");
            environment.setType(String.class.getName());
            environment.setValue(config.toString());
            context.getNamingResources().addEnvironment(environment);
            tomcat.getConnector();
            tomcat.start();
            try {
                URI gateway = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
                Deployments.assertServesChat(gateway, backend);
            } finally {
                tomcat.stop();
                tomcat.destroy();
            }
            assertEquals(java.util.List.of(), Deployments.upstreamThreadsAfterJoin(), "threads left after undeploy");
        }
    }
}
