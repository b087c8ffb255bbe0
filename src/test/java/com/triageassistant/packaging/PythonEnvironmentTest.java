package com.triageassistant.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The build prepares what the sidecar needs: the virtual environment with the pinned scikit-learn, and Py4J's
 * Python half extracted from Maven Central, importable from the zip alone.
 */
class PythonEnvironmentTest {

    @Test
    void sidecarInterpreterImportsPinnedScikitLearnAndPy4jFromTheBuild() throws Exception {
        Path python = Path.of(".venv", "bin", "python");
        Path py4jZip = Path.of("target", "py4j", "python", "py4j-src-0.10.9.7.zip");
        assertThat(python).isExecutable();
        assertThat(py4jZip).isRegularFile();

        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-c",
                "import sklearn, py4j.java_gateway, py4j.version; print(sklearn.__version__, py4j.version.__version__)")
                .redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", py4jZip.toAbsolutePath().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).endsWith(" 0.10.9.7");
        String stamp = Files.readString(Path.of(".venv", ".requirements.sha256")).strip();
        if (!stamp.equals("debian-fallback")) {
            String pinned = Files.readAllLines(Path.of("python", "requirements.txt")).stream()
                    .filter(line -> line.startsWith("scikit-learn==")).findFirst().orElseThrow()
                    .substring("scikit-learn==".length());
            assertThat(output).startsWith(pinned + " ");
        }
    }
}
