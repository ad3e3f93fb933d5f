package org.caresearch.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One OpenSearch node in this JVM, configured for a developer machine or CI:
 * single node, loopback only, a fixed HTTP port (fails instead of moving when busy),
 * the disk threshold off, the k-NN plugin loaded from the classpath.
 *
 * Usage: EmbeddedEngine BASE_PATH HTTP_PORT
 */
public final class EmbeddedEngine {

    private static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

    private EmbeddedEngine() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedEngine BASE_PATH HTTP_PORT");
            System.exit(2);
        }
        final Path basePath = Paths.get(args[0]).toAbsolutePath();
        final String httpPort = args[1];
        Files.createDirectories(basePath);

        final OpenSearchRunner runner = new OpenSearchRunner();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final IOException e) {
                System.err.println("error while stopping the engine: " + e.getMessage());
            }
            stopped.countDown();
        }));

        runner.onBuild((index, settings) -> {
            settings.put("cluster.name", "caresearch-dev");
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("transport.port", "9300-9400");
            settings.put("discovery.type", "single-node");
            // small CI disks would otherwise turn indices read-only at 95%
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
            settings.put("knn.algo_param.index_thread_qty", 1);
        });
        try {
            runner.build(OpenSearchRunner.newConfigs()
                    .basePath(basePath.toString())
                    .numOfNode(1)
                    .pluginTypes(KNN_PLUGIN)
                    .printOnFailure());
        } catch (final RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.err.println("ENGINE FAILED TO START: " + cause);
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        System.out.println("ENGINE STARTED on http://127.0.0.1:" + httpPort);
        stopped.await();
    }
}
