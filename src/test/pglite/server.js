// A PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) with pgvector, in memory, over the wire protocol.
// Started by the pgvector index tests: node server.js --port N [--max-connections M]. Prints "ready" when it
// accepts connections. PGlite is one PostgreSQL session: several connections take turns (a transaction runs to its
// end before another connection's statements), and they share session state such as the current role.
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { values } = parseArgs({ options: {
  port: { type: 'string', default: '5432' },
  host: { type: 'string', default: '127.0.0.1' },
  'max-connections': { type: 'string', default: '1' },
} });

const db = await PGlite.create('memory://', { extensions: { vector } });
const server = new PGLiteSocketServer({ db, port: Number(values.port), host: values.host, maxConnections: Number(values['max-connections']) });
await server.start();
console.log(`ready on ${values.host}:${values.port}`);

const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// The test that started us may die without stopping us: stop when our standard input closes.
process.stdin.on('end', stop);
process.stdin.resume();
