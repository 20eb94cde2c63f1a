package dev.switchboard.knowledge.internal.chunking;

/**
 * The smallest unit a chunk is made of: a whole paragraph, a sentence of a long one, or a table row.
 *
 * @param joiner what separates it from the piece before it in the same chunk
 * @param block index of the paragraph it comes from; overlap only repeats pieces of the paragraph that
 *        continues (table rows carry negative indices, so rows are never repeated)
 */
record Piece(String text, int tokens, int page, int block, String joiner) {

    Piece withJoiner(String newJoiner) {
        return new Piece(text, tokens, page, block, newJoiner);
    }
}
