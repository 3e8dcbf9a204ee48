import type { InvokeResult, SerializedError } from '../../../shared/contract';
import { toSeedboxError, type SeedboxError } from '../../../shared/errors';
import { redactUrl } from '../../../shared/redact-url';
import type { Seedbox } from '../../../shared/seedbox';
import type { SecretReader } from '../../connections/open';
import type { OpenConnection } from '../../connections/session';

type TestStep = InvokeResult<'seedboxes:test'>['steps'][number]['step'];

/** The editor's "Test": opens a connection of its own with these settings, logs in, lists, closes. */
export async function testConnection(
  open: (seedbox: Seedbox, readSecret: SecretReader) => Promise<OpenConnection>,
  seedbox: Seedbox,
  readSecret: SecretReader,
): Promise<InvokeResult<'seedboxes:test'>> {
  const steps: InvokeResult<'seedboxes:test'>['steps'] = [];
  let connection: OpenConnection | undefined;
  try {
    connection = await open(seedbox, readSecret);
    steps.push({ step: 'address', ok: true, message: `${seedbox.kind} at ${redactUrl(seedbox.url)}` });
    const info = await connection.client.connect();
    steps.push({ step: 'login', ok: true, message: `Connected to ${info.kind} ${info.version} (${info.protocol}).` });
    const torrents = await connection.client.list();
    steps.push({ step: 'list', ok: true, message: `${torrents.length} torrent(s).` });
    return { ok: true, steps, info, error: null, torrentCount: torrents.length };
  } catch (thrown) {
    const error = toSeedboxError(thrown);
    steps.push({ step: stepFor(error), ok: false, message: error.message });
    return { ok: false, steps, info: null, error: error.toJSON() as SerializedError, torrentCount: null };
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function stepFor(error: SeedboxError): TestStep {
  const { code } = error;
  // A saved secret refused for changed settings belongs to the step it was for.
  if (error.details['reason'] === 'endpoint-changed') return error.details['purpose'] === 'ssh-secret' ? 'ssh' : error.details['purpose'] === 'proxy-password' ? 'proxy' : 'login';
  if (code === 'invalid-argument') return 'address';
  if (code.startsWith('tls-')) return 'tls';
  if (code === 'auth-failed' || code === 'forbidden') return 'login';
  return 'connect';
}
