package dev.steward.rag.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-query ranking metrics with BEIR's definitions (pytrec_eval / trec_eval, relevance level 1), for a ranking of
 * distinct document ids, best first, and graded judgments (a score > 0 is relevant; unjudged documents count 0):
 * <ul>
 *   <li>nDCG@k: DCG = sum over the first k positions i (1-based) of {@code rel / log2(i + 1)} with the linear gain
 *       trec_eval uses, divided by the DCG of the judgments sorted by score;</li>
 *   <li>Recall@k: relevant documents in the first k / relevant documents judged;</li>
 *   <li>MRR@k: {@code 1 / i} for the first relevant document at position {@code i <= k}, else 0.</li>
 * </ul>
 * A query without relevant judgments scores 0 on all three (trec_eval's convention). Stateless.
 */
final class RetrievalMetrics {
    private RetrievalMetrics() {}

    static double ndcg(List<String> ranking, Map<String, Integer> judged, int k) {
        double dcg = 0;
        int depth = Math.min(k, ranking.size());
        for (int i = 0; i < depth; i++) {
            int rel = Math.max(0, judged.getOrDefault(ranking.get(i), 0));
            dcg += rel / log2(i + 2);
        }
        List<Integer> ideal = new ArrayList<>(judged.values());
        ideal.sort(Comparator.reverseOrder());
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += Math.max(0, ideal.get(i)) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    static double recall(List<String> ranking, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(rel -> rel > 0).count();
        if (relevant == 0) {
            return 0;
        }
        int found = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (judged.getOrDefault(ranking.get(i), 0) > 0) {
                found++;
            }
        }
        return (double) found / relevant;
    }

    static double mrr(List<String> ranking, Map<String, Integer> judged, int k) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (judged.getOrDefault(ranking.get(i), 0) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /**
     * Document ranking from a chunk ranking: each document at the position of its best chunk. Like BEIR's
     * evaluation ({@code ignore_identical_ids}), a document whose id equals the query's is dropped.
     */
    static List<String> documentRanking(List<String> chunkDocumentIds, String queryId) {
        Set<String> docs = new LinkedHashSet<>(chunkDocumentIds);
        docs.remove(queryId);
        return List.copyOf(docs);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
