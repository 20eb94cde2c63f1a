-- The tool calls of a turn and their results join the append-only history as messages of their own:
-- 'tool_call' (content: the arguments as the model wrote them) and 'tool_result' (content: what the model
-- was sent back), each naming the tool and the call; a result says whether the call failed. Gemini's thought
-- signature is kept with its call, since the provider wants it back when the conversation continues.
alter table chat_messages drop constraint chat_messages_role_check;
alter table chat_messages add constraint chat_messages_role_check
    check (role in ('user', 'assistant', 'tool', 'tool_call', 'tool_result'));
alter table chat_messages
    add column tool_name text,
    add column tool_call_id text,
    add column tool_error boolean,
    add column tool_signature text;
