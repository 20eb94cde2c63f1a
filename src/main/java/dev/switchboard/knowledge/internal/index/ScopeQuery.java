package dev.switchboard.knowledge.internal.index;

import java.io.IOException;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreScorerSupplier;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

/**
 * A search's scope (its tenant and knowledge bases: a conjunction of filters) as one query that stays whole. Nested as
 * a filter, a {@link BooleanQuery} of filters is flattened into the query around it, so BM25 intersected its terms with
 * the tenant's and the knowledge bases' postings one by one and nothing could keep the scope; this query is not
 * flattened, so the index's filter cache ({@link LuceneChunkIndex#SCOPES}) keeps it per segment as one bit set. It
 * matches exactly what the conjunction matches, with a constant score.
 */
final class ScopeQuery extends Query {

    private final BooleanQuery conjunction;

    ScopeQuery(BooleanQuery conjunction) {
        this.conjunction = conjunction;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight inner = searcher.createWeight(searcher.rewrite(conjunction), ScoreMode.COMPLETE_NO_SCORES, 1f);
        return new ConstantScoreWeight(this, boost) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                ScorerSupplier matches = inner.scorerSupplier(context);
                if (matches == null) {
                    return null;
                }
                return new ConstantScoreScorerSupplier(score(), scoreMode, context.reader().maxDoc()) {
                    @Override
                    public DocIdSetIterator iterator(long leadCost) throws IOException {
                        Scorer scorer = matches.get(leadCost);
                        TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
                        return twoPhase == null ? scorer.iterator() : TwoPhaseIterator.asDocIdSetIterator(twoPhase);
                    }

                    @Override
                    public long cost() {
                        return matches.cost();
                    }
                };
            }

            @Override
            public boolean isCacheable(LeafReaderContext context) {
                return inner.isCacheable(context);
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        conjunction.visit(visitor.getSubVisitor(Occur.FILTER, this));
    }

    @Override
    public String toString(String field) {
        return "scope(" + conjunction.toString(field) + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && conjunction.equals(((ScopeQuery) other).conjunction);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + conjunction.hashCode();
    }
}
