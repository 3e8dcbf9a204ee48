import { spawn } from 'node:child_process';
import { spawnDeluged, type DelugeInstance } from '../../helpers/deluge';
import { canConnect, Daemon, waitFor } from '../../helpers/processes';

/**
 * Reads and changes deluged's state through an independent path: Debian's /usr/bin/python3
 * with its C rencode, ssl and zlib speaking the daemon protocol itself, not our codec,
 * connection or client. Each call is [method, args, kwargs?]; errors come back as
 * { error: "ExceptionName: text" } in place of the result.
 */
export async function delugePy(instance: Pick<DelugeInstance, 'port' | 'username' | 'password'>, calls: [string, unknown[], Record<string, unknown>?][]): Promise<unknown[]> {
  const input = JSON.stringify({ port: instance.port, user: instance.username, password: instance.password, calls });
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', PYTHON_CLIENT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python deluge client exited ${code}: ${stderr.slice(-2000)}`))));
    child.stdin.end(input);
  });
  return JSON.parse(output) as unknown[];
}

/** One call through delugePy; throws on a Deluge error. */
export async function delugePyCall(instance: Pick<DelugeInstance, 'port' | 'username' | 'password'>, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<unknown> {
  const [result] = await delugePy(instance, [[method, args, kwargs]]);
  if (result && typeof result === 'object' && 'error' in result) throw new Error(String((result as { error: string }).error));
  return result;
}

/** Starts deluged again on the same config dir and port (after it was stopped or killed). */
export async function restartDeluged(instance: DelugeInstance): Promise<Daemon> {
  const child = spawnDeluged(instance);
  const daemon = new Daemon('deluged', child);
  await waitFor(`deluged's RPC listener again (${daemon.describe()})`, () =>
    daemon.running ? canConnect({ port: instance.port }) : Promise.reject(new Error(daemon.describe())),
  );
  return daemon;
}

const PYTHON_CLIENT = String.raw`
import json, socket, ssl, struct, sys, zlib
import rencode

def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return value

request = json.load(sys.stdin)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
sock = context.wrap_socket(socket.create_connection(('127.0.0.1', request['port']), timeout=20))
buffer = b''
next_id = 0

def call(method, args, kwargs):
    global buffer, next_id
    next_id += 1
    body = zlib.compress(rencode.dumps(((next_id, method, args, kwargs),)))
    sock.sendall(b'\x01' + struct.pack('>I', len(body)) + body)
    while True:
        while len(buffer) < 5:
            buffer += sock.recv(65536)
        length = struct.unpack('>I', buffer[1:5])[0]
        while len(buffer) < 5 + length:
            buffer += sock.recv(1 << 20)
        message = rencode.loads(zlib.decompress(buffer[5:5 + length]), decode_utf8=True)
        buffer = buffer[5 + length:]
        if message[0] == 3 or message[1] != next_id:
            continue
        if message[0] == 1:
            return plain(message[2])
        text = message[3][0] if message[3] else ''
        return {'error': '%s: %s' % (message[2], text)}

login = call('daemon.login', [request['user'], request['password']], {'client_version': 'python-check'})
if isinstance(login, dict) and 'error' in login:
    print(json.dumps([login for _ in request['calls']]))
    sys.exit(0)
results = [call(method, args, kwargs[0] if kwargs else {}) for method, args, *kwargs in request['calls']]
print(json.dumps(results, ensure_ascii=False))
`;
