/*
 * mechgraph local Neo4j server: a REAL Neo4j 5.26 (community) DBMS speaking Bolt,
 * run without Docker, for CI and developers. Started by scripts/neo4j-local.sh.
 *
 * Why embedded (org.neo4j:neo4j + DatabaseManagementServiceBuilder) and not neo4j-harness:
 *  - the harness (Neo4jBuilders.newInProcessBuilder(Path)) always runs in a fresh random
 *    sub-folder of the given working dir and deletes it on close, i.e. it is built for
 *    throw-away test databases; the data must PERSIST across stop/start and kill -9 here;
 *  - neo4j-harness 5.26.x is only partially mirrored on Maven Central (5.26.31 exists,
 *    several patch releases do not), org.neo4j:neo4j is the DBMS itself with no test code;
 *  - the embedded DBMS is the same kernel, transaction log recovery and Bolt server as the
 *    packaged server (org.neo4j:neo4j also pulls in neo4j-server, so HTTP can be enabled too).
 *  The home directory (= data dir) holds data/databases, data/transactions and logs/; it is
 *  never deleted, and on restart after a crash Neo4j recovers from the transaction logs.
 *
 * Settings (argument --name=value wins over the environment variable, then the default):
 *   --bolt-port   NEO4J_BOLT_PORT   7687   Bolt on 127.0.0.1
 *   --http-port   NEO4J_HTTP_PORT   0      HTTP API on 127.0.0.1 (e.g. 7474); 0 = HTTP off
 *   --data-dir    NEO4J_DATA_DIR    target/data (relative to the working dir)
 *   --plugins-dir NEO4J_PLUGINS_DIR directory of APOC jars (target/plugins next to the jar)
 *   --pagecache   NEO4J_PAGECACHE   512m
 *   --import-dir  NEO4J_IMPORT_DIR  DATA_DIR/import   the only folder LOAD CSV (and APOC, when allowed) may read
 *   --apoc-files  NEO4J_APOC_FILES  false  true: APOC may read and write files, inside the import folder
 *   --allow-network NEO4J_ALLOW_NETWORK false  true: LOAD CSV and APOC may fetch http(s) URLs
 * Heap is a JVM option (-Xmx), set by neo4j-local.sh from NEO4J_HEAP (default 2g).
 *
 * File and network access (what `LOAD CSV FROM 'file:///etc/passwd'` reaches): an embedded DBMS has
 * no server.directories.import unless one is set, and then file URLs may name ANY file. Here it is
 * always set, so file:///x means IMPORT_DIR/x and nothing outside it; every IP address is on the
 * Cypher URL block list (internal.dbms.cypher_ip_blocklist, which APOC's URL loaders obey too)
 * unless --allow-network true; and DATA_DIR/conf/apoc.conf is written at each start with
 * apoc.import.file.enabled and apoc.export.file.enabled set to --apoc-files (default false) and
 * apoc.import.file.use_neo4j_config=true (APOC's files, when on, stay inside the import folder).
 *
 * Authentication is DISABLED (dbms.security.auth_enabled=false): clients may send any basic
 * auth (e.g. neo4j/password) or none; the Python driver's auth=("neo4j","password") works.
 *
 * APOC core 5.26.x: the shaded "core" classifier jar is not published for 5.26, so the plain
 * apoc-core + apoc-common jars and their dependencies are on the classpath (for APOC's
 * extension factories) and apoc-core/apoc-common are also copied to the plugin dir, because
 * Neo4j registers procedures only from jars in its plugin dir. apoc.* is unrestricted (its file and
 * URL access is governed by the settings below).
 * Left out: Apache Arrow (apoc.export.arrow.*, apoc.load.arrow* log "Failed to load" warnings
 * at startup and are unavailable) and the S3/GCS cloud-storage URL handlers; all other APOC
 * core procedures/functions (apoc.help, apoc.text.*, apoc.coll.*, apoc.periodic.*, ...) load.
 *
 * Bulk import (neo4j-local.sh import): when DATA_DIR/mechgraph-init.cypher exists, its statements
 * (one per line-ending ';', '//' lines skipped) run once, each in its own transaction, after the
 * default database is up and before READY; the file is then renamed mechgraph-init.cypher.done.
 * A failing statement stops the server with the statement in the log, and the file stays.
 *
 * Prints "READY bolt://127.0.0.1:PORT" once the default database is available and the Bolt
 * port accepts TCP connections. SIGTERM/SIGINT shut the DBMS down cleanly (shutdown hook).
 */
package mechgraph;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

import inet.ipaddr.IPAddressString;

public final class Neo4jServer {
    private static final String HOST = "127.0.0.1";

    private Neo4jServer() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // e.g. store locked by another server, port in use: do not linger on non-daemon threads
            log("startup failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        int boltPort = Integer.parseInt(setting(opts, "bolt-port", "NEO4J_BOLT_PORT", "7687"));
        int httpPort = Integer.parseInt(setting(opts, "http-port", "NEO4J_HTTP_PORT", "0"));
        Path home = Paths.get(setting(opts, "data-dir", "NEO4J_DATA_DIR", "target/data"))
                .toAbsolutePath().normalize();
        String pluginsOpt = setting(opts, "plugins-dir", "NEO4J_PLUGINS_DIR", null);
        Path plugins = pluginsOpt != null ? Paths.get(pluginsOpt) : defaultPluginsDir();
        long pageCache = parseBytes(setting(opts, "pagecache", "NEO4J_PAGECACHE", "512m"));
        Path importDir = Paths.get(setting(opts, "import-dir", "NEO4J_IMPORT_DIR", home.resolve("import").toString()))
                .toAbsolutePath().normalize();
        boolean apocFiles = Boolean.parseBoolean(setting(opts, "apoc-files", "NEO4J_APOC_FILES", "false"));
        boolean allowNetwork = Boolean.parseBoolean(setting(opts, "allow-network", "NEO4J_ALLOW_NETWORK", "false"));

        Files.createDirectories(home);
        Files.createDirectories(importDir);
        writeApocConf(home.resolve("conf"), apocFiles);
        log("starting Neo4j " + neo4jVersion() + " home=" + home + " bolt=" + HOST + ":" + boltPort
                + " http=" + (httpPort > 0 ? HOST + ":" + httpPort : "off")
                + " plugins=" + (plugins != null ? plugins : "none") + " pagecache=" + pageCache
                + " import=" + importDir + " apoc-files=" + apocFiles + " network=" + (allowNetwork ? "allowed" : "blocked"));

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, boltPort))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, httpPort > 0)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                // LOAD CSV file URLs resolve inside the import folder only
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                // dev/CI-sized transaction logs: no 256 MiB preallocation per log file, and
                // prune old logs by size instead of keeping 2 days (recovery still has what it needs)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "256M size")
                // default 5 s netty "quiet period" only delays a clean stop
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        if (httpPort > 0) {
            builder.setConfig(HttpConnector.listen_address, new SocketAddress(HOST, httpPort))
                    .setConfig(HttpConnector.advertised_address, new SocketAddress(HOST, httpPort));
        }
        if (!allowNetwork) { // no http(s) fetches by LOAD CSV or APOC: every address is blocked
            builder.setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                    List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")));
        }
        if (plugins != null && Files.isDirectory(plugins)) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins.toAbsolutePath().normalize());
        }

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                dbms.shutdown();
                log("shutdown complete");
            } catch (Throwable t) {
                log("shutdown failed: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        long deadline = System.currentTimeMillis() + 300_000;
        while (!db.isAvailable(1_000)) {
            if (System.currentTimeMillis() > deadline) {
                log("default database did not become available");
                System.exit(1);
            }
        }
        Path init = home.resolve("mechgraph-init.cypher");
        if (Files.isRegularFile(init)) {
            runInitStatements(db, init);
        }
        while (!portOpen(boltPort)) {
            if (System.currentTimeMillis() > deadline) {
                log("bolt port " + boltPort + " not accepting connections");
                System.exit(1);
            }
            Thread.sleep(100);
        }
        log(String.format(Locale.ROOT, "started in %.1f s", (System.nanoTime() - t0) / 1e9));
        System.out.println("READY bolt://" + HOST + ":" + boltPort);
        System.out.flush();
        stopped.await();
    }

    /** APOC reads DATA_DIR/conf/apoc.conf (its NEO4J_CONF); written at every start so the file matches the flags. */
    private static void writeApocConf(Path confDir, boolean files) throws IOException {
        Files.createDirectories(confDir);
        String text = "# written by mechgraph's Neo4jServer at each start (--apoc-files / NEO4J_APOC_FILES)\n"
                + "apoc.import.file.enabled=" + files + "\n"
                + "apoc.export.file.enabled=" + files + "\n"
                + "apoc.import.file.use_neo4j_config=true\n";
        Path tmp = confDir.resolve("apoc.conf.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, confDir.resolve("apoc.conf"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The statements of an init file: one per line-ending ';', comment lines skipped. */
    static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("//")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String stmt = current.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static void runInitStatements(GraphDatabaseService db, Path init) throws IOException {
        List<String> stmts = statements(Files.readString(init, StandardCharsets.UTF_8));
        log("running " + stmts.size() + " statements of " + init);
        long t0 = System.nanoTime();
        for (String stmt : stmts) {
            try {
                db.executeTransactionally(stmt);
            } catch (RuntimeException e) {
                log("init statement failed: " + e.getMessage() + " -- statement: " + stmt);
                System.exit(1);
            }
        }
        Files.move(init, init.resolveSibling(init.getFileName() + ".done"), StandardCopyOption.REPLACE_EXISTING);
        log(String.format(Locale.ROOT, "init statements done in %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** target/plugins next to target/neo4j-server.jar (or next to target/classes). */
    private static Path defaultPluginsDir() {
        try {
            Path code = Paths.get(Neo4jServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve("plugins");
        } catch (Exception e) {
            return null;
        }
    }

    private static String neo4jVersion() {
        String v = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        return v != null ? v : "?";
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                m.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                m.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + a);
            }
        }
        return m;
    }

    private static String setting(Map<String, String> opts, String name, String env, String dflt) {
        String v = opts.get(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static long parseBytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k') {
            mult = ByteUnit.kibiBytes(1);
        } else if (last == 'm') {
            mult = ByteUnit.mebiBytes(1);
        } else if (last == 'g') {
            mult = ByteUnit.gibiBytes(1);
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }

    private static void log(String msg) {
        System.out.println("[mechgraph-neo4j] " + msg);
        System.out.flush();
    }
}
