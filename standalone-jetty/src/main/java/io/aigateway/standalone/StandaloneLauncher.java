package io.aigateway.standalone;
public final class StandaloneLauncher { public static void main(String[] a) throws Exception { new org.eclipse.jetty.server.Server(0); System.out.println("ok"); } }
