-- Session search (GET /api/sessions?q=): the words of titles and of users' and assistants' messages, as full-text
-- vectors of the 'simple' configuration (no stemming, no stop words: a name or a code is found as typed, in any
-- language), so a user with 10,000 sessions is searched through an index rather than by reading every message.
-- Expression indexes, not stored columns: nothing is rewritten, and the queries repeat the same expressions.
create index chat_sessions_title_search_idx on chat_sessions using gin (to_tsvector('simple', title)) where deleted_at is null;
create index chat_messages_text_search_idx on chat_messages using gin (to_tsvector('simple', content))
    where role in ('user', 'assistant');

-- Documents of a knowledge base a page at a time (GET /api/documents?cursor=): newest first, ties by id.
create index knowledge_documents_kb_page_idx on knowledge_documents (knowledge_base_id, created_at desc, id desc);
