// Server-Sent Events from a fetch Response (EventSource cannot POST): reads the body as it arrives and yields
// {event, data} for each event. Comments (": keep-alive") are skipped; data lines are joined with newlines.
export async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    let end;
    while ((end = blockEnd(buffer)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^(\r?\n){2}|^\r\r/, '');
      const parsed = parse(block);
      if (parsed) {
        yield parsed;
      }
    }
  }
  const last = parse(buffer);
  if (last) {
    yield last;
  }
}

function blockEnd(buffer) {
  const match = /\r?\n\r?\n|\r\r/.exec(buffer);
  return match ? match.index : -1;
}

function parse(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split(/\r?\n|\r/)) {
    if (line === '' || line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      event = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  return data.length ? { event, data: data.join('\n') } : null;
}
