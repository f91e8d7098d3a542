package dev.steward.rag.bench;

import java.nio.file.Path;

/**
 * The arguments the SciFact experiments share: {@code --index DIR} (the index {@link RetrievalBench} kept with
 * {@code --index}, required), {@code --dataset DIR} (default {@code ../shared/datasets/scifact}) and {@code --split
 * train|test} (default train).
 */
record ExperimentArgs(Path dataset, Path index, String split) {
    static ExperimentArgs parse(String[] args) {
        Path dataset = Path.of("../shared/datasets/scifact");
        Path index = null;
        String split = "train";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dataset" -> dataset = Path.of(args[i + 1]);
                case "--index" -> index = Path.of(args[i + 1]);
                case "--split" -> split = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (index == null) {
            throw new IllegalArgumentException("--index DIR (built by RetrievalBench --index DIR) is required");
        }
        return new ExperimentArgs(dataset, index, split);
    }
}
